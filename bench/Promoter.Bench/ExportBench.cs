using System.Diagnostics;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Microsoft.Extensions.DependencyInjection;
using Promoter.Cli;
using Promoter.Data;
using Promoter.Metrics;
using Promoter.Metrics.Export;

namespace Promoter.Bench;

/// <summary>
/// <c>export --rows N</c>: N responses (the dashboard bench's data) exported to CSV and XLSX through the real
/// <see cref="ResponseExporter"/>, once for the first tenth of the period and once for all of it. Streaming means the
/// memory an export needs does not grow with its size: the peak managed heap of the two runs is compared. DuckDB
/// writes the same rows to CSV with <c>COPY … TO</c> in the same run as the speed baseline.
/// </summary>
internal static class ExportBench
{
    public sealed record Run(string Format, long Rows, double Seconds, long Bytes, double PeakHeapMb);

    public sealed record Outcome(int Rows, IReadOnlyList<Run> Runs, double DuckDbCsvSeconds);

    public static async Task<Outcome> RunAsync(int rows, TextWriter log, CancellationToken ct)
    {
        await using var database = BenchDatabase.CreateEmpty();
        var (workspace, survey) = await database.SeedAsync(ct);
        var data = DashboardBench.Generate(rows);
        await DashboardBench.LoadSqliteAsync(database, workspace, survey, data, ct);
        log.WriteLine($"loaded {rows:N0} responses");

        var first = WorkspaceCalendar.DayNumber(DateOnly.FromDateTime(DashboardBench.Start));
        var tenth = MetricsFilter.ForSurvey(survey, first, first + (DashboardBench.Days / 10) - 1);
        var all = MetricsFilter.ForSurvey(survey, first, first + DashboardBench.Days - 1);
        var runs = new List<Run>();
        await using var host = await CliHost.StartAsync(ct);
        foreach (var format in new[] { "csv", "xlsx" })
        {
            foreach (var filter in new[] { tenth, all })
            {
                var run = await ExportAsync(host, workspace, filter, format, Path.Combine(database.Directory, "export." + format), ct);
                runs.Add(run);
                log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{format}: {run.Rows,10:N0} rows in {run.Seconds,6:0.00} s = {run.Rows / run.Seconds,9:N0} rows/s, {run.Bytes / 1e6,7:0.0} MB, peak managed heap {run.PeakHeapMb,6:0.0} MB"));
            }
        }

        if (runs.Any(r => r.Rows == 0) || runs.Where(r => r.Format == "csv").Max(r => r.Rows) != rows)
        {
            throw new InvalidOperationException($"The full export wrote {runs.Where(r => r.Format == "csv").Max(r => r.Rows)} of {rows} rows.");
        }

        var duck = DuckDbCsv(data, Path.Combine(database.Directory, "duckdb.csv"));
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"duckdb COPY TO csv: {rows:N0} rows in {duck:0.00} s = {rows / duck:N0} rows/s"));
        return new Outcome(rows, runs, duck);
    }

    private static async Task<Run> ExportAsync(CliHost host, Guid workspace, MetricsFilter filter, string format, string path, CancellationToken ct)
    {
        await using var scope = host.CreateScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspace);
        var exporter = scope.ServiceProvider.GetRequiredService<ResponseExporter>();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var baseline = GC.GetTotalMemory(forceFullCollection: true);
        using var sampling = new CancellationTokenSource();
        var peak = baseline;
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, GC.GetTotalMemory(forceFullCollection: false));
                await Task.Delay(2, CancellationToken.None);
            }
        }, CancellationToken.None);

        var watch = Stopwatch.StartNew();
        long written;
        await using (var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
        {
            if (format == "csv")
            {
                await using var writer = new StreamWriter(file, new UTF8Encoding(false), 1 << 16);
                written = await exporter.WriteCsvAsync(writer, filter, null, ct);
            }
            else
            {
                written = await exporter.WriteXlsxAsync(file, filter, null, ct);
            }
        }

        watch.Stop();
        await sampling.CancelAsync();
        await sampler;
        return new Run(format, written, watch.Elapsed.TotalSeconds, new FileInfo(path).Length, (peak - baseline) / 1e6);
    }

    private static double DuckDbCsv(DashboardBench.Generated data, string path)
    {
        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        DashboardBench.LoadDuckDb(duck, data);
        using var command = duck.CreateCommand();
        var watch = Stopwatch.StartNew();
        command.CommandText = $"COPY (SELECT * FROM responses ORDER BY responded_at) TO '{path.Replace("'", "''", StringComparison.Ordinal)}' (HEADER)";
        command.ExecuteNonQuery();
        return watch.Elapsed.TotalSeconds;
    }
}
