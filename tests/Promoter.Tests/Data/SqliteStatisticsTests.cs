using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Data;
using Promoter.Distribution.Invitations;
using Promoter.Tests.Accounts;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Data;

/// <summary>
/// Without planner statistics SQLite answered "which of these contacts responded lately" (every batch-send chunk, every
/// throttle check) by scanning the workspace's responses through <c>(workspace_id, updated_at)</c>. The server
/// refreshes the statistics at start-up, hourly and after a bulk import, and clears its connection pools so that the
/// connections it uses next plan with them.
/// </summary>
public sealed class SqliteStatisticsTests
{
    [Fact]
    public async Task After_a_refresh_the_servers_own_connections_find_recent_responders_through_the_contact_index()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Statistics");
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey("Planned"));
        // 20,000 responses from 4,000 contacts, five each 40 days apart from June 1 (the last on Nov 8 or later), added after start-up (whose refresh saw an empty table).
        await server.InWorkspaceAsync(ws.Id, sp => sp.GetRequiredService<PromoterDb>().Database.ExecuteSqlRawAsync("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
            INSERT INTO responses (workspace_id, survey_id, contact_id, score, language, channel, status, implicitly_confirmed,
                                   responded_at, created_at, updated_at, revision)
            SELECT {0}, {1}, printf('%08X-0000-4000-8000-000000000000', i % 4000), i % 11, 'en', 'import', 'Final', 0,
                   strftime('%Y-%m-%d %H:%M:%S', '2026-06-01', '+' || ((i / 4000) * 40) || ' days'), '2026-12-01 00:00:00', '2026-12-01 00:00:00', 1
            FROM n
            """, ws.Id.ToString().ToUpperInvariant(), survey.ToUpperInvariant()));

        var contacts = Enumerable.Range(0, 2_000).Select(i => Guid.Parse($"{i:X8}-0000-4000-8000-000000000000")).ToList();
        Task<string> PlanAsync() => server.InWorkspaceAsync(ws.Id, sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            return QueryPlans.ExplainAsync(db, InvitationScheduler.RespondedSince(db, contacts, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc)));
        });

        Assert.Contains("ix_responses_workspace_id_updated_at", await PlanAsync()); // the guess without statistics

        await SqliteStatistics.RefreshAsync(server.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value, CancellationToken.None);

        var plan = await PlanAsync();
        Assert.Contains("USING INDEX ix_responses_contact_id_responded_at (contact_id=? AND responded_at>?)", plan);
        Assert.DoesNotContain("updated_at", plan);
        var found = await server.InWorkspaceAsync(ws.Id, sp =>
            InvitationScheduler.RespondedSince(sp.GetRequiredService<PromoterDb>(), contacts, new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc)).CountAsync());
        Assert.Equal(2_000, found); // each has its Nov 8 response
    }
}
