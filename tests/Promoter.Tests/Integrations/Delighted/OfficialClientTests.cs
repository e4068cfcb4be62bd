using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Tests.Accounts;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Integrations.Delighted;

/// <summary>
/// Issue 7 acceptance: the official npm client <c>delighted@2.2.0</c>, unmodified, against the real server on both
/// databases. Each scenario asserts inside node; these tests then check what it left in the database.
/// </summary>
public sealed class OfficialClientTests
{
    private static async Task<(PromoterTestServer Server, PromoterTestServer.SeededWorkspace Workspace, string SurveyId)> StartAsync(
        DatabaseProvider provider, Dictionary<string, string?>? settings = null)
    {
        var server = await PromoterTestServer.StartAsync(provider, new PromoterTestServer.Options
        {
            Settings = new Dictionary<string, string?>(settings ?? [])
            {
                ["Email:DispatchEnabled"] = "false",
                ["Webhooks:DispatchEnabled"] = "false",
            },
        });
        var workspace = await server.CreateWorkspaceAsync("Delighted");
        using var api = server.CreateApiClient(workspace.ApiKey);
        var survey = await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey("Delighted"));
        return (server, workspace, survey);
    }

    private static string Tag() => Guid.NewGuid().ToString("N")[..8];

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Official_client_creates_retrieves_updates_and_filters_survey_responses(DatabaseProvider provider)
    {
        var (server, ws, survey) = await StartAsync(provider);
        await using var _ = server;
        var result = await OfficialClient.RunAsync(server, ws.ApiKey, "survey-responses", new { tag = Tag(), surveyId = survey });

        var ids = result.GetProperty("responses").EnumerateArray().Select(e => long.Parse(e.GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var rows = await db.Responses.Where(r => ids.Contains(r.Id)).OrderBy(r => r.Id).ToListAsync();
            Assert.Equal([10, 7, 8, 0, 9], rows.Select(r => (int)r.Score));
            Assert.All(rows, r => Assert.Equal("api", r.Channel));
            // The score change through save() kept the first answer as a revision; a comment-only change did too.
            var revisions = await db.ResponseRevisions.Where(r => ids.Contains(r.ResponseId)).OrderBy(r => r.ResponseId).ToListAsync();
            Assert.Equal([(ids[0], 10, "Great"), (ids[1], 6, "Slow delivery")], revisions.Select(r => (r.ResponseId, (int)r.Score, r.Comment!)));
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Official_client_metrics_equal_Promoters_own_nps_for_whole_and_part_days(DatabaseProvider provider)
    {
        var (server, ws, survey) = await StartAsync(provider);
        await using var _ = server;
        using var api = server.CreateApiClient(ws.ApiKey);
        // A workspace east of UTC, so a Delighted day range must follow local midnight to agree with the dashboard.
        using (var patched = await api.PatchAsJsonAsync("/api/v1/workspace", new { timeZone = "Europe/Stockholm" }))
        {
            Assert.True(patched.IsSuccessStatusCode, await patched.Content.ReadAsStringAsync());
        }

        var zone = TimeZoneInfo.FindSystemTimeZoneById("Europe/Stockholm");
        var date = new DateOnly(2025, 3, 10);
        var localMidnight = date.ToDateTime(TimeOnly.MinValue);
        var dayStart = new DateTimeOffset(localMidnight, zone.GetUtcOffset(localMidnight)).ToUnixTimeSeconds();
        var result = await OfficialClient.RunAsync(server, ws.ApiKey, "metrics", new
        {
            tag = Tag(),
            surveyId = survey,
            date = "2025-03-10",
            previousDate = "2025-03-09",
            nextDate = "2025-03-11",
            dayStart,
        });
        Assert.Equal(26, result.GetProperty("day").GetProperty("response_count").GetInt32());
        Assert.Equal(26, result.GetProperty("own").GetProperty("n").GetInt32());
    }
}
