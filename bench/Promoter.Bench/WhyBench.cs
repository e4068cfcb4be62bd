using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Promoter.Accounts;
using Promoter.Collect;
using Promoter.Core.Text;
using Promoter.Data;
using Promoter.Platform;
using Promoter.Understand;

namespace Promoter.Bench;

/// <summary>
/// <c>why --responses N</c>: N commented responses over two years (<see cref="CommentCorpus"/>) imported into a fresh SQLite
/// file through the real <see cref="ResponseImporter"/>, indexed by the real <see cref="TextIndexer"/>
/// (<see cref="TextWorker.RunOnceAsync"/>), then the Why section asked through the real server over loopback: words for two
/// years, the same in English only, the themes (ten defined), and words with a channel filter. Baseline in the same run:
/// DuckDB counting the same (response, term, category, day) rows with one GROUP BY. The words answers are checked against a
/// recount made here with <see cref="TextAnalyzer.Shared"/>; any difference fails the run.
/// </summary>
internal static class WhyBench
{
    public sealed record Timing(string Name, double MedianMs, double P95Ms, double FirstMs = 0);

    public sealed record Outcome(int Responses, double ImportSeconds, double QueueStatementSeconds, double IndexSeconds, double IndexPerSecond,
        Timing Words, Timing WordsMid, Timing WordsLanguage, Timing Themes, Timing Filtered, Timing DuckDb, double ImportOverheadPct, double IntakeOverheadPct,
        double IntakeOnPerSecond, double IntakeOffPerSecond);

    public static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private const int Days = 730;

    /// <summary>A view as users open it, ending mid-month: 2024-01-15 to 2025-12-20 (partial months at both ends).</summary>
    private const int MidFromDay = 14;
    private const int MidToDay = 719;
    public const string DuckDbSql =
        "SELECT term, count(*) FILTER (WHERE cat = 0) AS detractors, count(*) FILTER (WHERE cat = 1) AS passives, " +
        "count(*) FILTER (WHERE cat = 2) AS promoters FROM response_terms WHERE day BETWEEN $from AND $to GROUP BY term";

    private static readonly string[] s_names = ["Anna Berg", "Omar Haddad", "Somchai Dee", "Elena Petrova", "John Smith", "Lina Saad", "Marko Nikolov"];

    private sealed record Row(int Score, string Language, string Comment, string? Name, string? Email, bool EmailChannel, int Day);

    public static async Task<Outcome> RunAsync(int responses, int iterations, double intakeSeconds, TextWriter log, CancellationToken ct)
    {
        await using var database = BenchDatabase.CreateEmpty();
        var csv = Path.Combine(database.Directory, "responses.csv");
        var rows = Generate(csv, responses);
        log.WriteLine($"generated {responses:N0} commented responses ({new FileInfo(csv).Length / 1e6:0.0} MB)");

        var builder = Promoter.Program.CreateServerBuilder(["--urls=http://127.0.0.1:0"]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            // The bench runs the indexer itself, to time it.
            ["Understand:WorkerEnabled"] = "false",
        });
        await using var app = Promoter.Program.BuildServer(builder);
        await ServerStartup.PrepareAsync(app, ct);
        await app.StartAsync(ct);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        Guid workspace;
        string key;
        string metricsKey;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<WorkspaceAdmin>().CreateAsync("Bench", BenchDatabase.OwnerEmail, BenchDatabase.OwnerPassword, "Bench", ct);
            workspace = created.Workspace.Id;
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspace);
            key = (await scope.ServiceProvider.GetRequiredService<ApiKeys>().CreateAsync("bench", Scopes.All, null, null, ct)).PlainText;
            // A key that may read metrics but not responses: the words answer without example comments, to show their share.
            metricsKey = (await scope.ServiceProvider.GetRequiredService<ApiKeys>().CreateAsync("bench metrics", [Scopes.MetricsRead], null, null, ct)).PlainText;
        }

        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var surveyResponse = await client.PostAsync("/api/v1/surveys",
            new StringContent("""{"name":"Why bench","brandName":"Acme"}""", Encoding.UTF8, "application/json"), ct);
        await EnsureAsync(surveyResponse, ct);
        var surveyId = Guid.Parse(JsonDocument.Parse(await surveyResponse.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetString()!, CultureInfo.InvariantCulture);
        foreach (var (name, terms) in Themes)
        {
            using var created = await client.PostAsJsonAsync("/api/v1/themes", new { name, terms }, ct);
            await EnsureAsync(created, ct);
        }

        // Import: the product's own path, to its durable commit.
        ImportResult imported;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspace);
            await using var stream = new FileStream(csv, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
            imported = await scope.ServiceProvider.GetRequiredService<ResponseImporter>()
                .ImportAsync(stream, new ImportRequest { SurveyId = surveyId, Source = "bench" }, ct);
        }

        if (!imported.Committed || imported.Imported != responses)
        {
            throw new InvalidOperationException($"Import stored {imported.Imported} of {responses} rows: " +
                string.Join("; ", imported.FirstErrors.Take(5).Select(e => $"line {e.Line} {e.Field}: {e.Message}")));
        }

        var queueSeconds = await TimeQueueStatementAsync(database.ConnectionString, surveyId, ct);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"import: {responses:N0} rows to the durable commit in {imported.Elapsed.TotalSeconds:0.000} s = {imported.RowsPerSecond:N0} rows/s " +
            $"(of which queueing the comments for the text index, one INSERT … SELECT, {queueSeconds:0.000} s); checkpoint {imported.AfterCommit.TotalSeconds:0.000} s"));

        // Index: what the server's TextWorker does after the commit, timed here.
        var index = Stopwatch.StartNew();
        await TextWorker.RunOnceAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), ct);
        var indexSeconds = index.Elapsed.TotalSeconds;
        var stats = await IndexStatsAsync(database.ConnectionString, ct);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"index: {responses:N0} comments in {indexSeconds:0.0} s = {responses / indexSeconds:N0} comments/s; {stats}; " +
            $"time until indexed {imported.Elapsed.TotalSeconds + indexSeconds:0.0} s"));

        // The bench's own recount (not timed), and the same rows for DuckDB.
        var recount = Recount(rows);
        log.WriteLine($"recount: {recount.Terms.Count:N0} distinct terms, {recount.Pairs:N0} (response, term) rows");

        using var duck = new DuckDBConnection("DataSource=:memory:");
        duck.Open();
        LoadDuckDb(duck, recount, rows);
        var fromDay = 0;
        var toDay = Days;
        var duckTimes = new List<double>();
        Dictionary<int, long[]>? duckAnswer = null;
        for (var i = 0; i < iterations + 3; i++)
        {
            var watch = Stopwatch.StartNew();
            duckAnswer = QueryDuckDb(duck, fromDay, toDay);
            if (i >= 3)
            {
                duckTimes.Add(watch.Elapsed.TotalMilliseconds);
            }
        }

        var duckTiming = Summarise("duckdb GROUP BY term (2 years)", duckTimes);
        foreach (var (id, counts) in duckAnswer!)
        {
            if (!counts.AsSpan().SequenceEqual(recount.Counts[id]))
            {
                throw new InvalidOperationException($"DuckDB's counts of term {id} differ from the recount.");
            }
        }

        var from = DateOnly.FromDateTime(Start);
        var to = DateOnly.FromDateTime(Start).AddDays(Days);
        var range = string.Create(CultureInfo.InvariantCulture, $"from={from:yyyy-MM-dd}&to={to:yyyy-MM-dd}");
        var words = await TimeAsync(client, "words, 2 years", $"/api/v1/surveys/{surveyId}/words?{range}", iterations, ct);
        var midRange = string.Create(CultureInfo.InvariantCulture, $"from={from.AddDays(MidFromDay):yyyy-MM-dd}&to={from.AddDays(MidToDay):yyyy-MM-dd}");
        var wordsMid = await TimeAsync(client, "words, 15 Jan 2024 to 20 Dec 2025", $"/api/v1/surveys/{surveyId}/words?{midRange}", iterations, ct);
        var wordsEn = await TimeAsync(client, "words, 2 years, language=en", $"/api/v1/surveys/{surveyId}/words?{range}&language=en", iterations, ct);
        using var metricsClient = new HttpClient(new SocketsHttpHandler { UseCookies = false }) { BaseAddress = address, Timeout = TimeSpan.FromMinutes(5) };
        metricsClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", metricsKey);
        var wordsBare = await TimeAsync(metricsClient, "words, 2 years, no examples", $"/api/v1/surveys/{surveyId}/words?{range}", iterations, ct);
        var themes = await TimeAsync(client, "themes, 2 years (10 themes)", $"/api/v1/surveys/{surveyId}/themes?{range}", iterations, ct);
        var filtered = await TimeAsync(client, "words, 2 years, channel=email", $"/api/v1/surveys/{surveyId}/words?{range}&channel=email", iterations, ct);
        await app.StopAsync(ct);

        var checkedTerms = Verify(words.Body, recount, recount.Counts, null) + Verify(wordsEn.Body, recount, recount.Counts, "en")
                           + Verify(filtered.Body, recount, recount.EmailCounts, null) + Verify(wordsMid.Body, recount, recount.MidCounts, null);
        VerifyThemes(themes.Body, responses);
        log.WriteLine($"checked {checkedTerms} terms of the words answers against the recount: equal");
        foreach (var t in new[] { words.Timing, wordsMid.Timing, wordsEn.Timing, wordsBare.Timing, themes.Timing, filtered.Timing, duckTiming })
        {
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {t.Name,-36} median {t.MedianMs,9:0.00} ms   p95 {t.P95Ms,9:0.00} ms   first {t.FirstMs,9:0.00} ms   (n={iterations})"));
        }

        // Intake with the text worker on and off, alternately, at one concurrency.
        var on = new List<double>();
        var off = new List<double>();
        if (intakeSeconds > 0)
        {
            // The same comments as the imported ones (all five languages), so the indexer does the work real comments ask of it.
            var comments = rows.Take(20_000).Select(r => r.Comment).ToList();
            for (var pair = 0; pair < 2; pair++)
            {
                foreach (var enabled in pair == 0 ? new[] { false, true } : [true, false])
                {
                    var load = $"{File.ReadAllText("/proc/loadavg").Split(' ')[0]}";
                    var outcome = await IntakeBench.RunAsync(intakeSeconds, 16, useWrk: false, TextWriter.Null, ct,
                        new Dictionary<string, string?> { ["Understand:WorkerEnabled"] = enabled ? "true" : "false" }, comments);
                    (enabled ? on : off).Add(outcome.PerSecond);
                    log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"intake, 16 clients, text worker {(enabled ? "on " : "off")}: {outcome.PerSecond:N0} responses/s, p50 {outcome.P50:0.0} ms (load {load})"));
                }
            }
        }

        var onMean = on.Count == 0 ? 0 : on.Average();
        var offMean = off.Count == 0 ? 0 : off.Average();
        var intakeOverhead = offMean > 0 ? (offMean - onMean) / offMean * 100 : 0;
        var importOverhead = queueSeconds / (imported.Elapsed.TotalSeconds - queueSeconds) * 100;
        return new Outcome(responses, imported.Elapsed.TotalSeconds, queueSeconds, indexSeconds, responses / indexSeconds, words.Timing, wordsMid.Timing, wordsEn.Timing,
            themes.Timing, filtered.Timing, duckTiming, importOverhead, intakeOverhead, onMean, offMean);
    }

    /// <summary>Ten themes, in the languages of the comments.</summary>
    private static readonly (string Name, Dictionary<string, List<string>> Terms)[] Themes =
    [
        ("Support", new() { ["en"] = ["support", "customer service", "answer"], ["sv"] = ["kundtjänsten", "supporten"], ["ar"] = ["الدعم"], ["mk"] = ["одговори"] }),
        ("Delivery", new() { ["en"] = ["delivery", "late", "shipping"], ["sv"] = ["leveransen", "leverans"], ["ar"] = ["التوصيل"], ["th"] = ["ส่งของ"], ["mk"] = ["испорака"] }),
        ("Price", new() { ["en"] = ["price", "expensive"], ["sv"] = ["dyrt"], ["ar"] = ["الأسعار"], ["th"] = ["ราคา"], ["mk"] = ["скапо"] }),
        ("App", new() { ["en"] = ["app", "crashing", "bugs"], ["sv"] = ["appen"], ["ar"] = ["التطبيق"], ["th"] = ["แอป"], ["mk"] = ["апликацијата"] }),
        ("Billing", new() { ["en"] = ["billing", "invoice", "refund"], ["sv"] = ["fakturan"], ["ar"] = ["المبلغ المسترد"] }),
        ("Staff", new() { ["en"] = ["friendly staff", "staff"], ["sv"] = ["personal"], ["th"] = ["พนักงาน"], ["mk"] = ["персонал"] }),
        ("Speed", new() { ["en"] = ["fast", "quick", "slow"], ["sv"] = ["snabb", "snabbt"], ["ar"] = ["سريعة"], ["th"] = ["ช้า"] }),
        ("Ease of use", new() { ["en"] = ["easy", "intuitive"], ["sv"] = ["enkelt"] }),
        ("Value", new() { ["en"] = ["value", "money"], ["sv"] = ["prisvärt"] }),
        ("Waiting", new() { ["en"] = ["hold", "waiting", "called"], ["sv"] = ["ringde"], ["th"] = ["รอ"] }),
    ];

    private static List<Row> Generate(string path, int n)
    {
        var random = new Random(13);
        var corpus = CommentCorpus.Load();
        var rows = new List<Row>(n);
        var buffer = new StringBuilder(256);
        var contacts = Math.Max(1, n / 5);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.NewLine = "\n";
        writer.WriteLine(CsvGenerator.Header);
        var line = new StringBuilder(512);
        var span = (double)Days * 86_400 - 3_600;
        for (var i = 0; i < n; i++)
        {
            var score = random.NextDouble() switch { < 0.25 => random.Next(0, 7), < 0.5 => random.Next(7, 9), _ => random.Next(9, 11) };
            var (language, comment) = corpus.Next(random, score, buffer);
            // In time order, as an export or live intake: responses of one indexer batch fall on a few days.
            var at = Start.AddSeconds(1_800 + (i + random.NextDouble()) * span / n);
            string? name = null, email = null;
            if (random.Next(2) == 0)
            {
                var person = random.Next(contacts);
                email = string.Create(CultureInfo.InvariantCulture, $"person{person}@example.com");
                name = s_names[person % s_names.Length];
            }

            var emailChannel = random.Next(3) == 0;
            rows.Add(new Row(score, language, comment, name, email, emailChannel, (int)(at - Start).TotalDays));
            line.Clear();
            line.Append(score.ToString(CultureInfo.InvariantCulture)).Append(',');
            line.Append('"').Append(comment.Replace("\"", "\"\"", StringComparison.Ordinal)).Append("\",");
            line.Append(at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)).Append(',');
            line.Append(email).Append(',').Append(name).Append(",,").Append(language).Append(',');
            line.Append(emailChannel ? "email" : "link").Append(",,,,");
            writer.WriteLine(line);
        }

        return rows;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, CancellationToken ct)
    {
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"{response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(ct)}");
        }
    }

    /// <summary>
    /// The import's only text work is one statement in its transaction that queues the new rows for the indexer
    /// (<c>ImportSink.CommitAsync</c>). Timed here again on the imported rows, in a transaction rolled back.
    /// </summary>
    private static async Task<double> TimeQueueStatementAsync(string connectionString, Guid surveyId, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var tx = await connection.BeginTransactionAsync(ct);
        await using var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction)tx;
        command.CommandText = "DELETE FROM text_queue";
        await command.ExecuteNonQueryAsync(ct);
        command.CommandText = "INSERT INTO text_queue (workspace_id, response_id, queued_at) SELECT workspace_id, id, @now FROM responses " +
                              "WHERE id > @last AND survey_id = @survey AND status = 'Final' AND comment IS NOT NULL";
        command.Parameters.AddWithValue("@now", "2026-01-01 00:00:00");
        command.Parameters.AddWithValue("@last", 0);
        command.Parameters.AddWithValue("@survey", SqlValues.Id(DatabaseProvider.Sqlite, surveyId));
        var watch = Stopwatch.StartNew();
        var n = await command.ExecuteNonQueryAsync(ct);
        var seconds = watch.Elapsed.TotalSeconds;
        await tx.RollbackAsync(ct);
        return n > 0 ? seconds : throw new InvalidOperationException("The queue statement matched no rows (survey id format?).");
    }

    private static async Task<string> IndexStatsAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT (SELECT COUNT(*) FROM terms), (SELECT COUNT(*) FROM response_terms), (SELECT COUNT(*) FROM term_rollups WHERE monthly = 1), " +
                              "(SELECT COUNT(*) FROM term_rollups WHERE monthly = 0), (SELECT COUNT(*) FROM text_queue), (SELECT COUNT(*) FROM indexed_responses)";
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        if (reader.GetInt64(4) != 0)
        {
            throw new InvalidOperationException($"{reader.GetInt64(4)} responses are still queued after the indexer ran.");
        }

        return string.Create(CultureInfo.InvariantCulture,
            $"{reader.GetInt64(0):N0} terms, {reader.GetInt64(1):N0} response_terms rows, term_rollups {reader.GetInt64(2):N0} monthly + {reader.GetInt64(3):N0} daily rows, {reader.GetInt64(5):N0} indexed");
    }

    private sealed class Counted
    {
        public required ConcurrentDictionary<(string Language, string Key), int> Ids { get; init; }
        public required List<(string Language, string Key)> Terms { get; init; }
        public required Dictionary<int, long[]> Counts { get; init; }
        public required Dictionary<int, long[]> EmailCounts { get; init; }
        public required Dictionary<int, long[]> MidCounts { get; init; }
        public required List<(int[] Responses, int[] Terms)> Chunks { get; init; }
        public long Pairs { get; init; }
    }

    /// <summary>Each comment through <see cref="TextAnalyzer.Shared"/> as the indexer does (pipeline language, contact names excluded).</summary>
    private static Counted Recount(List<Row> rows)
    {
        var ids = new ConcurrentDictionary<(string, string), int>();
        var next = -1;
        const int chunk = 5_000;
        var chunks = new (int[] Responses, int[] Terms)[(rows.Count + chunk - 1) / chunk];
        Parallel.For(0, chunks.Length, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, c =>
        {
            var responses = new List<int>();
            var terms = new List<int>();
            for (var i = c * chunk; i < Math.Min(rows.Count, (c + 1) * chunk); i++)
            {
                var r = rows[i];
                var language = TextLanguages.Resolve(r.Language, r.Comment);
                foreach (var term in TextAnalyzer.Shared.Terms(r.Comment, language, Excluded(r.Name, r.Email)))
                {
                    if (term.Key.Length > TermEntry.MaxKeyLength || term.Surface.Length > TermEntry.MaxKeyLength)
                    {
                        continue;
                    }

                    responses.Add(i);
                    terms.Add(ids.GetOrAdd((language, term.Key), _ => Interlocked.Increment(ref next)));
                }
            }

            chunks[c] = ([.. responses], [.. terms]);
        });

        var names = new (string, string)[ids.Count];
        foreach (var (k, id) in ids)
        {
            names[id] = k;
        }

        var counts = new Dictionary<int, long[]>();
        var email = new Dictionary<int, long[]>();
        var mid = new Dictionary<int, long[]>();
        long pairs = 0;
        foreach (var (responses, terms) in chunks)
        {
            for (var i = 0; i < responses.Length; i++)
            {
                var row = rows[responses[i]];
                var category = row.Score <= 6 ? 0 : row.Score <= 8 ? 1 : 2;
                (counts.TryGetValue(terms[i], out var c) ? c : counts[terms[i]] = new long[3])[category]++;
                if (row.EmailChannel)
                {
                    (email.TryGetValue(terms[i], out var e) ? e : email[terms[i]] = new long[3])[category]++;
                }

                if (row.Day >= MidFromDay && row.Day <= MidToDay)
                {
                    (mid.TryGetValue(terms[i], out var m) ? m : mid[terms[i]] = new long[3])[category]++;
                }
            }

            pairs += responses.Length;
        }

        return new Counted { Ids = ids, Terms = [.. names], Counts = counts, EmailCounts = email, MidCounts = mid, Chunks = [.. chunks], Pairs = pairs };
    }

    /// <summary>The indexer's own rule: the contact's names and the e-mail's local part are never terms.</summary>
    private static string[] Excluded(string? name, string? email) => Promoter.Understand.TextIndexer.ExcludedWords(name, email);

    private static void LoadDuckDb(DuckDBConnection duck, Counted counted, List<Row> rows)
    {
        using (var create = duck.CreateCommand())
        {
            create.CommandText = "CREATE TABLE response_terms (response INTEGER, term INTEGER, cat TINYINT, day SMALLINT)";
            create.ExecuteNonQuery();
        }

        using var appender = duck.CreateAppender("response_terms");
        foreach (var (responses, terms) in counted.Chunks)
        {
            for (var i = 0; i < responses.Length; i++)
            {
                var row = rows[responses[i]];
                appender.CreateRow().AppendValue(responses[i]).AppendValue(terms[i]).AppendValue((sbyte)(row.Score <= 6 ? 0 : row.Score <= 8 ? 1 : 2))
                    .AppendValue((short)row.Day).EndRow();
            }
        }
    }

    private static Dictionary<int, long[]> QueryDuckDb(DuckDBConnection duck, int fromDay, int toDay)
    {
        using var command = duck.CreateCommand();
        command.CommandText = DuckDbSql;
        command.Parameters.Add(new DuckDBParameter("from", (short)fromDay));
        command.Parameters.Add(new DuckDBParameter("to", (short)toDay));
        var result = new Dictionary<int, long[]>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            result[reader.GetInt32(0)] = [reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)];
        }

        return result;
    }

    private static async Task<(Timing Timing, string Body)> TimeAsync(HttpClient client, string name, string url, int iterations, CancellationToken ct)
    {
        var times = new List<double>();
        var body = "";
        var first = 0.0;
        for (var i = 0; i < iterations + 3; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = await client.GetAsync(url, ct);
            body = await response.Content.ReadAsStringAsync(ct);
            var ms = watch.Elapsed.TotalMilliseconds;
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"{url} answered {(int)response.StatusCode}: {body}");
            }

            if (Environment.GetEnvironmentVariable("BENCH_DEBUG") == "1")
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {name}: {ms:0.0} ms"));
            }

            if (i == 0)
            {
                first = ms;
            }

            if (i >= 3)
            {
                times.Add(ms);
            }
        }

        return (Summarise(name, times) with { FirstMs = first }, body);
    }

    private static Timing Summarise(string name, List<double> times)
    {
        times.Sort();
        return new Timing(name, times[times.Count / 2] / 2 + times[(times.Count - 1) / 2] / 2, times[Math.Min(times.Count - 1, (int)Math.Ceiling(0.95 * times.Count) - 1)]);
    }

    /// <summary>Every term of a words answer has the recount's counts; returns how many were checked.</summary>
    private static int Verify(string body, Counted recount, Dictionary<int, long[]> expected, string? language)
    {
        using var json = JsonDocument.Parse(body);
        var terms = json.RootElement.GetProperty("terms");
        if (terms.GetArrayLength() == 0)
        {
            throw new InvalidOperationException("The words answer has no terms.");
        }

        var n = 0;
        foreach (var term in terms.EnumerateArray())
        {
            var key = (term.GetProperty("language").GetString()!, term.GetProperty("key").GetString()!);
            if (language is not null && key.Item1 != language)
            {
                throw new InvalidOperationException($"Term '{key.Item2}' in {key.Item1} in an answer for {language}.");
            }

            var counts = term.GetProperty("counts");
            var d = counts.GetProperty("detractors").GetInt64();
            var p = counts.GetProperty("promoters").GetInt64();
            var want = recount.Ids.TryGetValue(key, out var id) && expected.TryGetValue(id, out var c) ? c : new long[3];
            if (d != want[0] || p != want[2])
            {
                throw new InvalidOperationException($"Term '{key.Item2}' ({key.Item1}): the API counts {d} detractors and {p} promoters, the recount {want[0]} and {want[2]}.");
            }

            n++;
        }

        return n;
    }

    private static void VerifyThemes(string body, int responses)
    {
        using var json = JsonDocument.Parse(body);
        var themes = json.RootElement.GetProperty("themes");
        var total = json.RootElement.GetProperty("total").GetProperty("n").GetInt64();
        if (themes.GetArrayLength() != Themes.Length || total != responses)
        {
            throw new InvalidOperationException($"The themes answer has {themes.GetArrayLength()} themes over {total} responses; expected {Themes.Length} over {responses}.");
        }

        if (!themes.EnumerateArray().Any(t => t.GetProperty("summary").GetProperty("n").GetInt64() > 0))
        {
            throw new InvalidOperationException("No theme has any response.");
        }
    }
}
