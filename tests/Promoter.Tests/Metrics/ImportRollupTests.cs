using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Metrics;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Metrics;

/// <summary>Bulk imports bypass the per-row triggers and add rollups themselves; the result must be identical.</summary>
public sealed class ImportRollupTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Imported_responses_are_counted_exactly_and_other_writers_keep_their_triggers(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var ws = await server.CreateWorkspaceAsync("Import rollups " + provider);
        using var api = server.CreateApiClient(ws.ApiKey);
        (await api.PatchAsJsonAsync("/api/v1/workspace", new { timeZone = "Asia/Kathmandu" })).EnsureSuccessStatusCode();
        (await api.PutAsJsonAsync("/api/v1/segments", new { keys = new[] { "region" } })).EnsureSuccessStatusCode();
        var survey = Guid.Parse(await Accounts.TenantFixtures.CreateAsync(api, "/api/v1/surveys", new { name = "I", brandName = "I" }));

        var random = new Random(7);
        var csv = new StringBuilder("score,responded_at,channel,team_member,email,property.region,comment\n");
        for (var i = 0; i < 3000; i++)
        {
            var at = new DateTime(2025, 6, 1, 0, 0, 0, DateTimeKind.Utc).AddMinutes(random.Next(0, 60 * 24 * 200));
            csv.Append(CultureInfo.InvariantCulture, $"{random.Next(0, 11)},{at:yyyy-MM-ddTHH:mm:ssZ},{(i % 3 == 0 ? "email" : "")},{(i % 4 == 0 ? "" : "agent" + (i % 5))},")
               .Append(i % 2 == 0 ? $"p{i % 50}@example.com" : "").Append(',').Append(i % 3 == 1 ? "" : "r" + (i % 4)).Append(",ok\n");
        }

        var path = Path.GetTempFileName();
        await File.WriteAllTextAsync(path, csv.ToString());
        var result = await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            await using var stream = File.OpenRead(path);
            return await sp.GetRequiredService<ResponseImporter>().ImportAsync(stream, new ImportRequest { SurveyId = survey }, CancellationToken.None);
        });
        File.Delete(path);
        Assert.Equal(3000, result.Imported);

        // A response through the API after the import is counted by the trigger again (the suspension was only the import's).
        (await api.PostAsJsonAsync("/api/v1/responses", new { surveyId = survey, score = 10 })).EnsureSuccessStatusCode();

        var failure = await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            Assert.Empty(db.Set<RollupSuspension>());
            return await RollupPropertyTests.CompareAsync(db, sp.GetRequiredService<RollupMaintenance>());
        });
        Assert.Null(failure);
    }
}
