using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Promoter.Data;
using Promoter.Distribution.Invitations;
using Promoter.Tests.Accounts;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Data;

/// <summary>
/// Without planner statistics SQLite answered "which of these contacts responded lately" (every batch-send chunk, every
/// throttle check) by scanning the workspace's responses through <c>(workspace_id, updated_at)</c>. The server
/// refreshes the statistics at start-up, hourly and after a bulk import, and clears its connection pools so that the
/// connections it uses next plan with them; it also notices within a minute when another process refreshed them.
/// </summary>
public sealed class SqliteStatisticsTests
{
    private static readonly DateTime Since = new(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly List<Guid> Contacts = Enumerable.Range(0, 2_000).Select(i => Guid.Parse($"{i:X8}-0000-4000-8000-000000000000")).ToList();

    [Fact]
    public async Task After_a_refresh_the_servers_own_connections_find_recent_responders_through_the_contact_index()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await SeedAsync(server);
        Assert.Contains("ix_responses_workspace_id_updated_at", await PlanAsync(server, ws)); // the guess without statistics

        await SqliteStatistics.RefreshAsync(server.Services.GetRequiredService<IOptions<DatabaseOptions>>().Value, CancellationToken.None);

        var plan = await PlanAsync(server, ws);
        Assert.Contains("USING INDEX ix_responses_contact_id_responded_at (contact_id=? AND responded_at>?)", plan);
        Assert.DoesNotContain("updated_at", plan);
        var found = await server.InWorkspaceAsync(ws, sp => InvitationScheduler.RespondedSince(sp.GetRequiredService<PromoterDb>(), Contacts, Since).CountAsync());
        Assert.Equal(2_000, found); // each has its Nov 8 response
    }

    [Fact]
    public async Task Statistics_refreshed_by_another_process_reach_the_servers_connections_within_a_minute()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new() { Clock = clock });
        var ws = await SeedAsync(server);
        Assert.Contains("ix_responses_workspace_id_updated_at", await PlanAsync(server, ws));

        // What `promoter import` does in its own process: refresh on a connection of its own, which leaves this
        // process's pooled connections planning with what they loaded.
        await using (var other = new SqliteConnection(new SqliteConnectionStringBuilder(server.ConnectionString) { Pooling = false }.ToString()))
        {
            await other.OpenAsync();
            await using var optimize = other.CreateCommand();
            optimize.CommandText = "PRAGMA optimize=0x10002";
            await optimize.ExecuteNonQueryAsync();
        }

        Assert.Contains("ix_responses_workspace_id_updated_at", await PlanAsync(server, ws));

        clock.Advance(SqliteStatistics.WatchInterval);
        var deadline = TimeProvider.System.GetTimestamp();
        string plan;
        while (!(plan = await PlanAsync(server, ws)).Contains("ix_responses_contact_id_responded_at", StringComparison.Ordinal)
               && TimeProvider.System.GetElapsedTime(deadline) < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(50);
        }

        Assert.Contains("USING INDEX ix_responses_contact_id_responded_at", plan);
    }

    /// <summary>20,000 responses from 4,000 contacts, five each 40 days apart from June 1 (the last on Nov 8 or later), added after start-up (whose refresh saw an empty table).</summary>
    private static async Task<Guid> SeedAsync(PromoterTestServer server)
    {
        var ws = await server.CreateWorkspaceAsync("Statistics");
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey("Planned"));
        await server.InWorkspaceAsync(ws.Id, sp => sp.GetRequiredService<PromoterDb>().Database.ExecuteSqlRawAsync("""
            WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
            INSERT INTO responses (workspace_id, survey_id, contact_id, score, language, channel, status, implicitly_confirmed,
                                   responded_at, created_at, updated_at, revision)
            SELECT {0}, {1}, printf('%08X-0000-4000-8000-000000000000', i % 4000), i % 11, 'en', 'import', 'Final', 0,
                   strftime('%Y-%m-%d %H:%M:%S', '2026-06-01', '+' || ((i / 4000) * 40) || ' days'), '2026-12-01 00:00:00', '2026-12-01 00:00:00', 1
            FROM n
            """, ws.Id.ToString().ToUpperInvariant(), survey.ToUpperInvariant()));
        return ws.Id;
    }

    private static Task<string> PlanAsync(PromoterTestServer server, Guid ws) => server.InWorkspaceAsync(ws, sp =>
    {
        var db = sp.GetRequiredService<PromoterDb>();
        return QueryPlans.ExplainAsync(db, InvitationScheduler.RespondedSince(db, Contacts, Since));
    });
}
