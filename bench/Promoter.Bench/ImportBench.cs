using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Promoter.Cli;
using Promoter.Collect;
using Promoter.Core;
using Promoter.Data;

namespace Promoter.Bench;

/// <summary>
/// Generates a CSV, imports it into a fresh SQLite file through the real <see cref="ResponseImporter"/>
/// (synchronous=FULL, one transaction), checks what was stored, and loads the same file into DuckDB as a baseline.
/// </summary>
internal static class ImportBench
{
    public sealed record Outcome(int Rows, double Seconds, double RowsPerSecond, double CheckpointSeconds, double CpuSeconds, double DuckDbSeconds, double DuckDbRowsPerSecond);

    public static async Task<Outcome> RunAsync(int rows, TextWriter log, CancellationToken ct)
    {
        await using var database = BenchDatabase.CreateEmpty();
        var csv = Path.Combine(database.Directory, "responses.csv");
        var generate = Stopwatch.StartNew();
        var distribution = CsvGenerator.Write(csv, rows);
        log.WriteLine($"generated {rows:N0} rows ({new FileInfo(csv).Length / 1e6:0.0} MB) in {generate.Elapsed.TotalSeconds:0.00} s");
        var (workspace, surveyId) = await database.SeedAsync(ct);

        ImportResult result;
        double cpuSeconds;
        await using (var host = await CliHost.StartAsync(ct))
        await using (var scope = host.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspace);
            await using var stream = new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            result = await scope.ServiceProvider.GetRequiredService<ResponseImporter>()
                .ImportAsync(stream, new ImportRequest { SurveyId = surveyId, Source = "bench" }, ct);
            // CPU time of the whole process during the import (all threads): less sensitive than wall time to other
            // sessions sharing the machine.
            cpuSeconds = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        }

        if (!result.Committed || result.Imported != rows)
        {
            throw new InvalidOperationException($"Import stored {result.Imported} of {rows} rows (rejected {result.Rejected}): " +
                string.Join("; ", result.FirstErrors.Take(5).Select(e => $"line {e.Line} {e.Field}: {e.Message}")));
        }

        await VerifyAsync(database, distribution, ct);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"promoter: {result.Imported:N0} rows in {result.Elapsed.TotalSeconds:0.000} s = {result.RowsPerSecond:N0} rows/s (durable commit); " +
            $"{result.Contacts:N0} contacts; then WAL checkpoint and planner statistics {result.AfterCommit.TotalSeconds:0.000} s; process CPU {cpuSeconds:0.00} s"));
        if (Environment.GetEnvironmentVariable("BENCH_DEBUG") == "1")
        {
            log.WriteLine($"  writer: {result.Timings}");
        }


        var duck = DuckDbLoad(csv, Path.Combine(database.Directory, "baseline.duckdb"), rows);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"duckdb:   {rows:N0} rows in {duck:0.000} s = {rows / duck:N0} rows/s"));
        return new Outcome(rows, result.Elapsed.TotalSeconds, result.RowsPerSecond, result.AfterCommit.TotalSeconds, cpuSeconds, duck, rows / duck);
    }

    /// <summary>The stored scores must match the file exactly, and so must the NPS.</summary>
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
            throw new InvalidOperationException("The stored score distribution differs from the file's.");
        }

        var nps = NpsStatistics.Estimate(ScoreDistribution.FromCounts(stored).ToCounts()).Nps;
        var fileNps = NpsStatistics.Estimate(ScoreDistribution.FromCounts(expected).ToCounts()).Nps;
        if (nps != fileNps)
        {
            throw new InvalidOperationException($"NPS {nps} from the database differs from {fileNps} from the file.");
        }
    }

    /// <summary>Seconds DuckDB takes to load the same CSV into a table of its own database file.</summary>
    private static double DuckDbLoad(string csv, string file, int rows)
    {
        using var connection = new DuckDBConnection($"Data Source={file}");
        connection.Open();
        using var command = connection.CreateCommand();
        var watch = Stopwatch.StartNew();
        command.CommandText = $"CREATE TABLE responses AS SELECT * FROM read_csv('{csv.Replace("'", "''", StringComparison.Ordinal)}', header = true); CHECKPOINT;";
        command.ExecuteNonQuery();
        var seconds = watch.Elapsed.TotalSeconds;
        command.CommandText = "SELECT COUNT(*) FROM responses";
        var count = Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
        return count == rows ? seconds : throw new InvalidOperationException($"DuckDB loaded {count} of {rows} rows.");
    }
}
