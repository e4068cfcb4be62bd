using System.Diagnostics;
using System.Globalization;
using System.Text;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Promoter.Cli;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Integrations.Delighted.Import;

namespace Promoter.Bench;

/// <summary>
/// A generated Delighted response export (response id, blank scores, multi-line and non-Latin comments, properties,
/// tags, notes) imported into a fresh SQLite file through the real importer with the Delighted format, then imported
/// again (every row already there); DuckDB reads the same file into a table as the baseline.
/// </summary>
internal static class DelightedImportBench
{
    public sealed record Outcome(int Rows, long Imported, double Seconds, double RowsPerSecond, double CpuSeconds, double RepeatSeconds, double DuckDbSeconds);

    private static readonly string[] s_comments =
        ["", "الخدمة ممتازة، شكراً", "\"บริการดีมาก, ขอบคุณ\"", "\"Bra, men \"\"dyr\"\"\nleverans\"", "Одлична услуга", "\"Slow checkout, friendly staff\""];

    public static async Task<Outcome> RunAsync(int rows, TextWriter log, CancellationToken ct)
    {
        await using var database = BenchDatabase.CreateEmpty();
        var csv = Path.Combine(database.Directory, "delighted.csv");
        var distribution = Write(csv, rows);
        log.WriteLine($"generated a Delighted export of {rows:N0} rows ({new FileInfo(csv).Length / 1e6:0.0} MB), {distribution.Sum():N0} with a score");
        var (workspace, surveyId) = await database.SeedAsync(ct);

        // CPU time of the whole process (all threads) moves less than wall time when other sessions load the machine.
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var first = await ImportAsync(workspace, surveyId, csv, ct);
        var cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        if (!first.Committed || first.Imported != distribution.Sum())
        {
            throw new InvalidOperationException($"Delighted import stored {first.Imported} of {distribution.Sum()} rows: " +
                string.Join("; ", first.FirstErrors.Take(5).Select(e => $"line {e.Line} {e.Field}: {e.Message}")));
        }

        await VerifyAsync(database, distribution, ct);
        var repeat = await ImportAsync(workspace, surveyId, csv, ct);
        if (repeat.Imported != 0 || repeat.AlreadyImported != first.Imported)
        {
            throw new InvalidOperationException($"The second import stored {repeat.Imported} rows; expected none ({repeat.AlreadyImported} already there).");
        }

        await VerifyAsync(database, distribution, ct);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"promoter: {first.Imported:N0} rows in {first.Elapsed.TotalSeconds:0.000} s = {first.RowsPerSecond:N0} rows/s (durable commit; process CPU {cpuSeconds:0.00} s), " +
            $"{first.Contacts:N0} contacts, {first.WithoutScore:N0} rows without a score left out; again: {repeat.AlreadyImported:N0} already imported, {repeat.Elapsed.TotalSeconds:0.000} s"));
        var duck = DuckDbRead(csv, Path.Combine(database.Directory, "baseline.duckdb"), rows);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"duckdb:   {rows:N0} rows in {duck:0.000} s = {rows / duck:N0} rows/s"));
        return new Outcome(rows, first.Imported, first.Elapsed.TotalSeconds, first.RowsPerSecond, cpuSeconds, repeat.Elapsed.TotalSeconds, duck);
    }

    private static async Task<ImportResult> ImportAsync(Guid workspace, Guid survey, string csv, CancellationToken ct)
    {
        await using var host = await CliHost.StartAsync(ct);
        await using var scope = host.CreateScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspace);
        await using var stream = new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        return await scope.ServiceProvider.GetRequiredService<ResponseImporter>()
            .ImportAsync(stream, new ImportRequest { SurveyId = survey, Source = "bench", Format = new DelightedImportFormat() }, ct);
    }

    /// <summary>Writes the export; returns the score tally of the rows that have a score.</summary>
    private static long[] Write(string path, int rows)
    {
        var random = new Random(5);
        var distribution = new long[11];
        var start = new DateTimeOffset(2022, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.Write("Response ID,Score,Comment,Response timestamp,Email,Name,Person ID,Tags,Notes,Permalink,Delighted Source,Plan,locale\r\n");
        for (var i = 0; i < rows; i++)
        {
            var score = "";
            if (i % 29 != 5)
            {
                var value = random.Next(0, 11);
                distribution[value]++;
                score = value.ToString(CultureInfo.InvariantCulture);
            }

            var person = random.Next(rows / 3 + 1);
            var email = random.Next(10) < 7 ? $"person{person}@example.com" : "";
            var at = start.AddSeconds(random.Next(0, 90_000_000)).ToOffset(TimeSpan.FromHours(-7));
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{7_000_000 + i},{score},{s_comments[i % s_comments.Length]},{at:yyyy-MM-dd HH:mm:ss} -0700,{email},{(email.Length > 0 ? "Pat" : "")},{person}," +
                $"{(i % 6 == 0 ? "\"Pricing, Support\"" : "")},{(i % 50 == 0 ? "Called back" : "")},https://app.delighted.com/r/r{i:x},{(i % 3 == 0 ? "email" : "web")}," +
                $"{(i % 2 == 0 ? "pro" : "free")},{(i % 4 == 0 ? "sv" : "en")}\r\n"));
        }

        return distribution;
    }

    private static async Task VerifyAsync(BenchDatabase database, long[] expected, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT score, COUNT(*) FROM responses GROUP BY score";
        var stored = new long[11];
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                stored[reader.GetInt32(0)] = reader.GetInt64(1);
            }
        }

        if (!stored.SequenceEqual(expected))
        {
            throw new InvalidOperationException("The stored score distribution differs from the export's.");
        }
    }

    /// <summary>Seconds DuckDB takes to read the same export into a table of its own database file.</summary>
    private static double DuckDbRead(string csv, string file, int rows)
    {
        using var connection = new DuckDBConnection($"Data Source={file}");
        connection.Open();
        using var command = connection.CreateCommand();
        var watch = Stopwatch.StartNew();
        command.CommandText = $"CREATE TABLE responses AS SELECT * FROM read_csv('{csv.Replace("'", "''", StringComparison.Ordinal)}', header = true, all_varchar = true); CHECKPOINT;";
        command.ExecuteNonQuery();
        var seconds = watch.Elapsed.TotalSeconds;
        command.CommandText = "SELECT COUNT(*) FROM responses";
        var count = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        return count == rows ? seconds : throw new InvalidOperationException($"DuckDB read {count} of {rows} rows.");
    }
}
