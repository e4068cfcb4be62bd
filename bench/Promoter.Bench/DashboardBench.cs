using System.Diagnostics;
using System.Globalization;
using DuckDB.NET.Data;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Promoter.Cli;
using Promoter.Data;
using Promoter.Metrics;

namespace Promoter.Bench;

/// <summary>
/// <c>dashboard --responses N</c>: N responses over two years with 20 region values and a realistic score mix, loaded
/// once into a fresh SQLite file (rollups included) and into DuckDB. Then the dashboard's three questions — headline
/// NPS, weekly trend, breakdown by region — are timed through Promoter's real code path (MetricsReports on rollups)
/// and as plain SQL over the raw rows in DuckDB, the answers are checked to be identical, and medians are compared.
/// </summary>
internal static class DashboardBench
{
    public sealed record Outcome(int Responses, double OursMedianMs, double DuckDbMedianMs, double LoadSeconds, IReadOnlyList<PageTimings.Timing> Pages);

    private const int Regions = 20;
    public const int Days = 730;
    public static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public sealed record Generated(short[] Scores, int[] Seconds, byte[] Region, byte[] Channel);

    public static async Task<Outcome> RunAsync(int responses, int iterations, TextWriter log, CancellationToken ct)
    {
        await using var database = BenchDatabase.CreateEmpty();
        var (workspace, survey) = await database.SeedAsync(ct);
        var data = Generate(responses);
        var load = Stopwatch.StartNew();
        await LoadSqliteAsync(database, workspace, survey, data, ct);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"loaded {responses:N0} responses into SQLite (with rollups) in {load.Elapsed.TotalSeconds:0.0} s"));
        var loadSeconds = load.Elapsed.TotalSeconds;

        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        LoadDuckDb(duck, data);
        log.WriteLine($"loaded the same rows into DuckDB");

        await using var host = await CliHost.StartAsync(ct);
        var from = DateOnly.FromDateTime(Start);
        var to = from.AddDays(Days - 1);
        var ours = new List<double>();
        var theirs = new List<double>();
        Answers? oursAnswers = null;
        Answers? duckAnswers = null;
        for (var i = 0; i < iterations + 3; i++)
        {
            await using var scope = host.CreateScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspace);
            var reports = scope.ServiceProvider.GetRequiredService<MetricsReports>();
            var query = new MetricsQuery(new MetricsFilter([survey], WorkspaceCalendar.DayNumber(from), WorkspaceCalendar.DayNumber(to), new Dictionary<string, string>()),
                from, to, Core.ConfidenceMethod.AdjustedWald, 0.95);
            var watch = Stopwatch.StartNew();
            var headline = await reports.NpsAsync(query, ct);
            var t1 = watch.Elapsed.TotalMilliseconds;
            var trend = await reports.TrendAsync(query, TrendInterval.Week, ct);
            var t2 = watch.Elapsed.TotalMilliseconds;
            var breakdown = await reports.BreakdownAsync(query, "region", Rollup.PropertyPrefix + "region", ct, Histogram.From(headline.Summary.Distribution));
            watch.Stop();
            if (Environment.GetEnvironmentVariable("BENCH_DEBUG") is not null)
            {
                log.WriteLine($"headline {t1:0.0} trend {t2 - t1:0.0} breakdown {watch.Elapsed.TotalMilliseconds - t2:0.0}");
            }
            oursAnswers = new Answers(headline.Summary.Distribution,
                trend.Periods.Where(p => p.Summary.N > 0).ToDictionary(p => p.Start, p => p.Summary.Distribution),
                breakdown.Rows.ToDictionary(r => r.Value, r => r.Summary.Distribution));

            var duckWatch = Stopwatch.StartNew();
            duckAnswers = QueryDuckDb(duck, from, to);
            duckWatch.Stop();
            if (i >= 3)
            {
                ours.Add(watch.Elapsed.TotalMilliseconds);
                theirs.Add(duckWatch.Elapsed.TotalMilliseconds);
            }
        }

        Verify(oursAnswers!, duckAnswers!);
        var oursMedian = Median(ours);
        var duckMedian = Median(theirs);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dashboard (headline + weekly trend + breakdown by region) over {responses:N0} responses, median of {iterations}: promoter {oursMedian:0.00} ms, duckdb {duckMedian:0.00} ms, ratio {duckMedian / oursMedian:0.0}x; answers identical"));

        // The same questions as whole pages: the real server renders them for a signed-in user over HTTP.
        var span = string.Create(CultureInfo.InvariantCulture, $"from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        var pages = await PageTimings.MeasureAsync(database.ConnectionString,
        [
            new("dashboard, default view", "/"),
            new("dashboard, 2 years weekly", $"/?survey={survey}&{span}&interval=week&by=region"),
            new("dashboard, 2 years filtered", $"/?survey={survey}&{span}&interval=month&by=channel&filter.region=R07"),
            new("surveys", "/surveys"),
            new("survey details", $"/surveys/{survey}"),
        ], iterations, ct);
        log.WriteLine($"pages over {responses:N0} responses (request to last byte, median of {iterations}):");
        log.WriteLine(PageTimings.Describe(pages));
        return new Outcome(responses, oursMedian, duckMedian, loadSeconds, pages);
    }

    public static Generated Generate(int n)
    {
        var random = new Random(2026);
        var data = new Generated(new short[n], new int[n], new byte[n], new byte[n]);
        for (var i = 0; i < n; i++)
        {
            var region = (byte)random.Next(Regions);
            // Regions differ a little, so the breakdown has something to show.
            var u = random.NextDouble() + (region - 10) * 0.01;
            data.Scores[i] = (short)(u switch { < 0.22 => random.Next(0, 7), < 0.5 => random.Next(7, 9), _ => random.Next(9, 11) });
            data.Seconds[i] = random.Next(0, Days * 86_400);
            data.Region[i] = region;
            data.Channel[i] = (byte)random.Next(3);
        }

        return data;
    }

    private static readonly string[] s_channels = ["email", "link", "api"];

    private static string RegionName(int r) => "R" + r.ToString("00", CultureInfo.InvariantCulture);

    /// <summary>One transaction, prepared statement, rollups suspended and added in bulk — the importer's path.</summary>
    public static async Task LoadSqliteAsync(BenchDatabase database, Guid workspace, Guid survey, Generated data, CancellationToken ct)
    {
        await using (var host = await CliHost.StartAsync(ct))
        await using (var scope = host.CreateScope())
        {
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspace);
            await scope.ServiceProvider.GetRequiredService<RollupMaintenance>().ReplaceSegmentsAsync(["region"], DateTime.UnixEpoch, ct);
        }

        await using var connection = new SqliteConnection(database.ConnectionString);
        await connection.OpenAsync(ct);
        SqliteDurability.Apply(connection);
        await using var tx = connection.BeginTransaction();
        var ws = workspace.ToString().ToUpperInvariant();
        var sv = survey.ToString().ToUpperInvariant();
        await using (var suspend = connection.CreateCommand())
        {
            suspend.Transaction = tx;
            suspend.CommandText = "INSERT INTO rollup_suspensions (token) VALUES ('bench')";
            await suspend.ExecuteNonQueryAsync(ct);
        }

        await using var insert = connection.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT INTO responses (workspace_id, survey_id, score, language, channel, status, implicitly_confirmed, properties, responded_at, created_at, updated_at, revision) " +
                             "VALUES ($ws, $s, $score, 'en', $channel, 'Final', 0, $props, $at, $at, $at, 1)";
        var pWs = insert.Parameters.AddWithValue("$ws", ws);
        var pS = insert.Parameters.AddWithValue("$s", sv);
        var pScore = insert.Parameters.AddWithValue("$score", 0);
        var pChannel = insert.Parameters.AddWithValue("$channel", "");
        var pProps = insert.Parameters.AddWithValue("$props", "");
        var pAt = insert.Parameters.AddWithValue("$at", "");
        insert.Prepare();
        _ = (pWs, pS);
        var accumulator = new RollupAccumulator(workspace);
        for (var i = 0; i < data.Scores.Length; i++)
        {
            var at = Start.AddSeconds(data.Seconds[i]);
            var properties = "{\"region\":\"" + RegionName(data.Region[i]) + "\"}";
            pScore.Value = data.Scores[i];
            pChannel.Value = s_channels[data.Channel[i]];
            pProps.Value = properties;
            pAt.Value = at.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
            await insert.ExecuteNonQueryAsync(ct);
            accumulator.Add(survey, WorkspaceCalendar.Utc.DayOf(at), data.Scores[i],
                RollupKeys.For(s_channels[data.Channel[i]], "en", null, null, properties, ["region"]));
        }

        await accumulator.FlushAsync(connection, tx, DatabaseProvider.Sqlite, ct);
        await using (var resume = connection.CreateCommand())
        {
            resume.Transaction = tx;
            resume.CommandText = "DELETE FROM rollup_suspensions";
            await resume.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
    }

    public static void LoadDuckDb(DuckDBConnection duck, Generated data)
    {
        using (var create = duck.CreateCommand())
        {
            create.CommandText = "CREATE TABLE responses (score SMALLINT, responded_at TIMESTAMP, region VARCHAR, channel VARCHAR)";
            create.ExecuteNonQuery();
        }

        using var appender = duck.CreateAppender("responses");
        for (var i = 0; i < data.Scores.Length; i++)
        {
            appender.CreateRow().AppendValue(data.Scores[i]).AppendValue(Start.AddSeconds(data.Seconds[i]))
                .AppendValue(RegionName(data.Region[i])).AppendValue(s_channels[data.Channel[i]]).EndRow();
        }
    }

    private sealed record Answers(long[] Headline, Dictionary<DateOnly, long[]> Weeks, Dictionary<string, long[]> Regions);

    private static Answers QueryDuckDb(DuckDBConnection duck, DateOnly from, DateOnly to)
    {
        var range = $"responded_at >= TIMESTAMP '{from:yyyy-MM-dd}' AND responded_at < TIMESTAMP '{to.AddDays(1):yyyy-MM-dd}'";
        var headline = new long[11];
        foreach (var (_, score, count) in Rows(duck, $"SELECT '' AS k, score, count(*) FROM responses WHERE {range} GROUP BY score"))
        {
            headline[score] = count;
        }

        var weeks = new Dictionary<DateOnly, long[]>();
        foreach (var (key, score, count) in Rows(duck, $"SELECT strftime(date_trunc('week', responded_at), '%Y-%m-%d') AS k, score, count(*) FROM responses WHERE {range} GROUP BY k, score"))
        {
            var week = DateOnly.ParseExact(key, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            week = week < from ? from : week; // Promoter clips the first period to the range
            (weeks.TryGetValue(week, out var h) ? h : weeks[week] = new long[11])[score] += count;
        }

        var regions = new Dictionary<string, long[]>();
        foreach (var (key, score, count) in Rows(duck, $"SELECT region AS k, score, count(*) FROM responses WHERE {range} GROUP BY k, score"))
        {
            (regions.TryGetValue(key, out var h) ? h : regions[key] = new long[11])[score] = count;
        }

        return new Answers(headline, weeks, regions);
    }

    private static List<(string Key, int Score, long Count)> Rows(DuckDBConnection duck, string sql)
    {
        using var command = duck.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<(string Key, int Score, long Count)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), Convert.ToInt32(reader.GetValue(1), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(2), CultureInfo.InvariantCulture)));
        }

        return rows;
    }

    private static void Verify(Answers ours, Answers duck)
    {
        static string Show(long[] h) => string.Join(",", h);
        if (Show(ours.Headline) != Show(duck.Headline))
        {
            throw new InvalidOperationException($"headline differs: {Show(ours.Headline)} vs {Show(duck.Headline)}");
        }

        foreach (var (name, a, b) in new[] { ("week", ours.Weeks.ToDictionary(w => w.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), w => w.Value), duck.Weeks.ToDictionary(w => w.Key.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), w => w.Value)), ("region", ours.Regions, duck.Regions) })
        {
            if (a.Count != b.Count || a.Any(x => !b.TryGetValue(x.Key, out var y) || Show(x.Value) != Show(y)))
            {
                throw new InvalidOperationException($"{name} answers differ ({a.Count} vs {b.Count} groups)");
            }
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
