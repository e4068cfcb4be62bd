using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Bench;

/// <summary>
/// The real server (Promoter.Program.CreateServerBuilder/BuildServer, ServerStartup.PrepareAsync) on a fresh SQLite file with
/// synchronous=FULL, hammered over loopback HTTP by C concurrent clients for S seconds. Every 201 counts as acknowledged;
/// at the end the stored row count must equal the acknowledged count.
/// </summary>
internal static class IntakeBench
{
    public sealed record Outcome(double Seconds, long Acknowledged, double PerSecond, double P50, double P90, double P99, long Stored, long Failed);

    public static async Task<Outcome> RunAsync(double seconds, int concurrency, bool useWrk, TextWriter log, CancellationToken ct,
        IReadOnlyDictionary<string, string?>? settings = null, IReadOnlyList<string>? comments = null)
    {
        await using var database = BenchDatabase.CreateEmpty();
        var builder = Promoter.Program.CreateServerBuilder(["--urls=http://127.0.0.1:0"]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        });
        // Extra settings (e.g. Understand:WorkerEnabled=false for the why bench's before/after).
        builder.Configuration.AddInMemoryCollection(settings ?? new Dictionary<string, string?>());
        await using var app = Promoter.Program.BuildServer(builder);
        await ServerStartup.PrepareAsync(app, ct);
        await app.StartAsync(ct);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());

        string key;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<WorkspaceAdmin>().CreateAsync("Bench", "bench@example.com", "bench-password-1", "Bench", ct);
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(created.Workspace.Id);
            key = (await scope.ServiceProvider.GetRequiredService<ApiKeys>().CreateAsync("bench", Scopes.All, null, null, ct)).PlainText;
        }

        var clients = Enumerable.Range(0, concurrency).Select(_ =>
        {
            var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1, UseCookies = false }) { BaseAddress = address };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            return client;
        }).ToArray();
        using var survey = await clients[0].PostAsync("/api/v1/surveys",
            new StringContent("""{"name":"Intake bench","brandName":"Acme"}""", Encoding.UTF8, "application/json"), ct);
        survey.EnsureSuccessStatusCode();
        var surveyId = System.Text.Json.JsonDocument.Parse(await survey.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("id").GetString();

        // Warm up (JIT, connections), then measure.
        var warmup = await LoadAsync(clients, surveyId!, TimeSpan.FromSeconds(Math.Min(2, seconds / 2)), comments, ct);
        var measured = useWrk
            ? await WrkLoad.RunAsync(address, key, surveyId!, seconds, concurrency, database.Directory, log, ct)
            : await LoadAsync(clients, surveyId!, TimeSpan.FromSeconds(seconds), comments, ct);
        foreach (var client in clients)
        {
            client.Dispose();
        }

        await app.StopAsync(ct);
        var stored = await CountAsync(database.ConnectionString, ct);
        var acknowledged = warmup.Acknowledged + measured.Acknowledged;
        var latencies = measured.Latencies;
        latencies.Sort();
        var outcome = new Outcome(measured.Seconds, measured.Acknowledged, measured.Acknowledged / measured.Seconds,
            Percentile(latencies, 0.50), Percentile(latencies, 0.90), Percentile(latencies, 0.99), stored, warmup.Failed + measured.Failed);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"intake: {measured.Acknowledged:N0} acknowledged in {measured.Seconds:0.0} s = {outcome.PerSecond:N0}/s with {concurrency} clients; " +
            $"p50 {outcome.P50:0.0} ms, p90 {outcome.P90:0.0} ms, p99 {outcome.P99:0.0} ms; stored {stored:N0} of {acknowledged:N0} acknowledged (incl. warm-up); {outcome.Failed} failed"));
        // Every acknowledged response is stored. wrk stops with up to one request per connection in flight, which the
        // server may store without wrk counting the answer; the in-process clients wait for every answer.
        var inFlight = useWrk ? concurrency : 0;
        if (stored < acknowledged || stored > acknowledged + inFlight)
        {
            throw new InvalidOperationException($"Stored {stored} rows but acknowledged {acknowledged}.");
        }

        return outcome;
    }

    internal sealed record Load(long Acknowledged, long Failed, double Seconds, List<double> Latencies);

    private static async Task<Load> LoadAsync(HttpClient[] clients, string surveyId, TimeSpan duration, IReadOnlyList<string>? comments, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var until = started + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        var workers = clients.Select((client, worker) => Task.Run(async () =>
        {
            var latencies = new List<double>(1 << 16);
            long ok = 0, failed = 0;
            for (var i = 0; Stopwatch.GetTimestamp() < until; i++)
            {
                var body = Body(surveyId, worker, i, comments);
                var sent = Stopwatch.GetTimestamp();
                using var response = await client.PostAsync("/api/v1/responses", new StringContent(body, Encoding.UTF8, "application/json"), ct);
                await response.Content.LoadIntoBufferAsync(ct);
                latencies.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    ok++;
                }
                else
                {
                    failed++;
                }
            }

            return (ok, failed, latencies);
        }, ct)).ToArray();
        var results = await Task.WhenAll(workers);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        return new Load(results.Sum(r => r.ok), results.Sum(r => r.failed), seconds, results.SelectMany(r => r.latencies).ToList());
    }

    /// <summary>One request; the comment is one of <paramref name="comments"/> when given (realistic text for the text index).</summary>
    private static string Body(string surveyId, int worker, int i, IReadOnlyList<string>? comments)
    {
        var score = (worker * 7 + i) % 11;
        var contact = i % 2 == 0 ? $",\"contact\":{{\"email\":\"w{worker}-{i % 500}@example.com\"}}" : "";
        var comment = comments is { Count: > 0 }
            ? System.Text.Json.JsonSerializer.Serialize(comments[((worker * 7_919) + i) % comments.Count])
            : $"\"Request {i} from worker {worker}: fast and friendly\"";
        return $"{{\"surveyId\":\"{surveyId}\",\"score\":{score},\"comment\":{comment}," +
               $"\"channel\":\"helpdesk\",\"properties\":{{\"plan\":\"pro\",\"region\":\"EMEA\"}}{contact}}}";
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static async Task<long> CountAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM responses";
        return Convert.ToInt64(await command.ExecuteScalarAsync(ct), CultureInfo.InvariantCulture);
    }
}
