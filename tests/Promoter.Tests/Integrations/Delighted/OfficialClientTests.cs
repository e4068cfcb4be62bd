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
                // Quiet hours off, so a delay of an hour is an hour whenever the test runs.
                ["Distribution:QuietHoursStart"] = "0",
                ["Distribution:QuietHoursEnd"] = "0",
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

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Official_client_creates_pages_cancels_and_deletes_people(DatabaseProvider provider)
    {
        var (server, ws, survey) = await StartAsync(provider);
        await using var _ = server;
        var result = await OfficialClient.RunAsync(server, ws.ApiKey, "people", new { tag = Tag(), surveyId = survey });

        var ana = Guid.Parse(result.GetProperty("ana").GetString()!);
        var deleted = result.GetProperty("deleted").EnumerateArray().Select(e => Guid.Parse(e.GetString()!)).ToList();
        await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            // The delayed survey became an invitation with the Delighted properties in its snapshot, then was cancelled.
            var invitation = await db.Invitations.SingleAsync(i => i.ContactId == ana);
            Assert.Equal(Promoter.Distribution.InvitationStatus.Cancelled, invitation.Status);
            Assert.Equal(Guid.Parse(survey), invitation.SurveyId);
            Assert.Equal("sv", invitation.Language);
            var snapshot = Promoter.Platform.PropertyBags.Read(invitation.Properties);
            Assert.Equal("Mobile App", snapshot["Purchase Experience"]);
            Assert.Equal("Acme Pro", snapshot["question_product_name"]);
            Assert.InRange(invitation.ScheduledAt - invitation.CreatedAt, TimeSpan.FromSeconds(3599), TimeSpan.FromSeconds(3601));
            var contact = await db.Contacts.SingleAsync(c => c.Id == ana);
            Assert.Equal(("Ana A.", "sv"), (contact.Name, contact.Locale));
            Assert.Empty(await db.Contacts.Where(c => deleted.Contains(c.Id)).ToListAsync());
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Official_client_sees_401_404_and_429_and_auto_paging_waits_out_Retry_After(DatabaseProvider provider)
    {
        var (server, ws, _) = await StartAsync(provider, new() { ["Delighted:RequestsPerMinute"] = "30" });
        await using var __ = server;
        var result = await OfficialClient.RunAsync(server, ws.ApiKey, "errors", new { tag = Tag(), perMinute = 30 });
        Assert.True(result.GetProperty("limited").GetInt32() >= 5);
        // One token per 2 s: the client waited at least one Retry-After before paging on.
        Assert.True(result.GetProperty("waitedMs").GetInt32() >= 1000, result.ToString());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Official_client_adds_pages_and_removes_autopilot_memberships_of_a_recurring_send(DatabaseProvider provider)
    {
        // The worker would enrol every contact by itself; off, the memberships are exactly what the client added.
        var (server, ws, survey) = await StartAsync(provider, new() { ["Distribution:RecurringEnabled"] = "false" });
        await using var _ = server;
        using (var api = server.CreateApiClient(ws.ApiKey))
        {
            await TenantFixtures.CreateAsync(api, "/api/v1/recurring-sends", new { surveyId = survey, name = "Quarterly", everyDays = 90 });
        }

        var result = await OfficialClient.RunAsync(server, ws.ApiKey, "autopilot", new { tag = Tag() });
        var removed = Guid.Parse(result.GetProperty("removed").GetString()!);
        await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var enrollments = await db.RecurringEnrollments.ToListAsync();
            Assert.Equal(7, enrollments.Count);
            // Removed: still enrolled (the send would enrol them again otherwise), never due.
            Assert.Equal(new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc), enrollments.Single(e => e.ContactId == removed).NextDueAt);
            Assert.Equal(7, enrollments.Select(e => e.Sequence).Distinct().Count());
            return 0;
        });
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Official_client_unsubscribes_and_lists_unsubscribes_and_bounces(DatabaseProvider provider)
    {
        var (server, ws, _) = await StartAsync(provider);
        await using var __ = server;
        var tag = Tag();
        var bouncedPerson = await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            // Hard bounces as the mail dispatcher records them (5.1.x), one of them for a known contact.
            var db = sp.GetRequiredService<PromoterDb>();
            var contact = new Promoter.Distribution.Contact
            {
                Id = Guid.CreateVersion7(), Email = $"Bounced-{tag}@example.com", EmailKey = $"bounced-{tag}@example.com", Name = "Bounced",
                CreatedAt = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(-3), UpdatedAt = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(-3),
            };
            db.Contacts.Add(contact);
            db.EmailSuppressions.Add(new Promoter.Platform.Email.EmailSuppression
            {
                EmailKey = contact.EmailKey, Reason = Promoter.Platform.Email.SuppressionReason.HardBounce, Source = "smtp 550 5.1.1", CreatedAt = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(-2),
            });
            db.EmailSuppressions.Add(new Promoter.Platform.Email.EmailSuppression
            {
                EmailKey = $"stranger-{tag}@example.com", Reason = Promoter.Platform.Email.SuppressionReason.HardBounce, Source = "smtp 550 5.1.1", CreatedAt = TimeProvider.System.GetUtcNow().UtcDateTime.AddDays(-1),
            });
            await db.SaveChangesAsync();
            return contact.Id.ToString();
        });

        var result = await OfficialClient.RunAsync(server, ws.ApiKey, "unsubscribes-bounces", new
        {
            tag,
            bounced = new[] { $"Bounced-{tag}@example.com", $"stranger-{tag}@example.com" },
            bouncedPersonId = bouncedPerson,
        });
        var person = Guid.Parse(result.GetProperty("person").GetString()!);
        await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var suppression = await db.EmailSuppressions.SingleAsync(s => s.Reason == Promoter.Platform.Email.SuppressionReason.Unsubscribed);
            Assert.Equal(($"leaver-{tag}@example.com", "api"), (suppression.EmailKey, suppression.Source));
            // The unsubscribe raised Promoter's own contact.unsubscribed event, in the same transaction.
            Assert.Equal(1, await db.WebhookEvents.CountAsync(e => e.Type == "contact.unsubscribed"));
            Assert.True(await db.Contacts.AnyAsync(c => c.Id == person));
            return 0;
        });
    }
}
