using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Promoter.Accounts;
using Promoter.Churn;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Platform;
using Promoter.Surveys;

namespace Promoter.Bench;

/// <summary>
/// The nightly churn rescoring on SQLite: N contacts with R responses each (imported through the response importer,
/// which links each row to its contact), then one full nightly run (<see cref="NightlyRescoring"/>: model refit, then
/// every contact rescored a chunk per transaction). Reports contacts rescored per second and the managed heap's peak.
/// </summary>
internal static class ChurnBench
{
    public sealed record Outcome(int Contacts, int Responses, double Seconds, double ContactsPerSecond, double PeakManagedMb, int AtRisk);

    public static async Task<Outcome> RunAsync(int contacts, int responsesPerContact, TextWriter log, CancellationToken ct)
    {
        await using var database = BenchDatabase.CreateEmpty();
        var builder = Promoter.Program.CreateServerBuilder(["--urls=http://127.0.0.1:0"]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Churn:WorkerEnabled"] = "false",
            ["Loop:WorkerEnabled"] = "false",
            ["Understand:WorkerEnabled"] = "false",
        });
        await using var app = Promoter.Program.BuildServer(builder);
        await ServerStartup.PrepareAsync(app, ct);

        Guid workspace;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<WorkspaceAdmin>().CreateAsync("Bench", BenchDatabase.OwnerEmail, BenchDatabase.OwnerPassword, "Bench", ct);
            workspace = created.Workspace.Id;
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspace);
            var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            var survey = new Survey { Id = Guid.CreateVersion7(), Name = "Relationship", BrandName = "Acme", CreatedAt = now, UpdatedAt = now };
            db.Surveys.Add(survey);
            await db.SaveChangesAsync(ct);

            // Scores drift per contact, so drops, moves and trends all occur; times are spread over the last two years.
            var csv = new StringBuilder("score,responded_at,email\n");
            var random = new Random(16);
            for (var c = 0; c < contacts; c++)
            {
                var score = random.Next(0, 11);
                for (var r = 0; r < responsesPerContact; r++)
                {
                    score = Math.Clamp(score + random.Next(-3, 4), 0, 10);
                    var at = now.AddDays(-730 + (730.0 * (r + random.NextDouble()) / responsesPerContact));
                    csv.Append(CultureInfo.InvariantCulture, $"{score},{at:yyyy-MM-dd'T'HH:mm:ss'Z'},person{c:D7}@bench.test\n");
                }
            }

            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
            var imported = await scope.ServiceProvider.GetRequiredService<ResponseImporter>().ImportAsync(stream, new ImportRequest { SurveyId = survey.Id, Source = "bench" }, ct);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"churn: {imported.Imported:N0} responses of {contacts:N0} contacts imported in {imported.Elapsed.TotalSeconds:0.00} s"));
        }

        GC.Collect();
        var peak = GC.GetTotalMemory(forceFullCollection: true);
        using var sampler = new Timer(_ => peak = Math.Max(peak, GC.GetTotalMemory(false)), null, 0, 50);
        var started = Stopwatch.GetTimestamp();
        var rescored = await app.Services.GetRequiredService<NightlyRescoring>().RunDueAsync(ct);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (rescored != contacts)
        {
            throw new InvalidOperationException($"churn: {rescored} contacts rescored, expected {contacts}.");
        }

        int atRisk;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspace);
            atRisk = await scope.ServiceProvider.GetRequiredService<PromoterDb>().ContactRisks.CountAsync(r => r.Score >= 50, ct);
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"churn: {rescored:N0} contacts rescored in {seconds:0.00} s; {atRisk:N0} at 50 or more"));
        return new Outcome(contacts, contacts * responsesPerContact, seconds, rescored / seconds, peak / 1048576.0, atRisk);
    }
}
