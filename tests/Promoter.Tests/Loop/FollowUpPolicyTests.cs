using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Core;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Loop;
using Promoter.Platform.Email;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Loop;

public sealed class FollowUpPolicyTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_detractor_opens_a_case_owned_by_who_served_them_due_24_hours_after_the_response_with_a_case_created_event(DatabaseProvider provider)
    {
        await using var h = await LoopHarness.StartAsync(provider);
        var agent = await h.AddMemberAsync(Role.Agent);

        var detractor = await h.RespondAsync(3, "The courier never came", "dana@example.com", teamMember: agent.Email.ToUpperInvariant());
        var silentPassive = await h.RespondAsync(7, null, "pat@example.com");
        var talkingPassive = await h.RespondAsync(8, "Fine, but slow", "quinn@example.com");
        var promoter = await h.RespondAsync(10, "Love it", "max@example.com");
        Assert.Equal(4, await h.ProcessAsync());

        var cases = await h.CasesAsync();
        Assert.Equal([detractor, talkingPassive], cases.Select(c => c.ResponseId).Order().ToList());
        var d = cases.Single(c => c.ResponseId == detractor);
        var respondedAt = (await h.ResponseAsync(detractor)).RespondedAt;
        Assert.Equal(agent.Id, d.OwnerUserId);
        Assert.Equal(respondedAt.AddHours(24), d.DueAt);
        Assert.Equal(CaseStatus.New, d.Status);
        Assert.Equal(NpsCategory.Detractor, d.Category);
        Assert.True(d.ReplyToken.Length >= 32, "the reply token carries at least 128 bits");
        var p = cases.Single(c => c.ResponseId == talkingPassive);
        Assert.Equal((await h.ResponseAsync(talkingPassive)).RespondedAt.AddHours(72), p.DueAt);
        Assert.Null(p.OwnerUserId);
        Assert.DoesNotContain(cases, c => c.ResponseId == silentPassive || c.ResponseId == promoter);

        var activities = await h.ActivitiesAsync(d.Id);
        Assert.Equal([ActivityKind.Opened, ActivityKind.Assigned], activities.Select(a => a.Kind).ToList());
        var events = await h.QueryAsync(db => db.WebhookEvents.AsNoTracking().Where(e => e.ResourceType == "case").ToListAsync());
        Assert.Equal(2, events.Count(e => e.Type == WebhookEventTypes.CaseCreated));
        Assert.Contains(events, e => e.ResourceId == d.Id.ToString() && e.Payload!.Contains("\"status\":\"new\"", StringComparison.Ordinal));

        // Processing again finds nothing: the queue rows went with the transaction that opened the cases.
        Assert.Equal(0, await h.ProcessAsync());
        Assert.Equal(2, (await h.CasesAsync()).Count);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Owners_come_from_the_account_owner_property_then_round_robin_then_the_fallback(DatabaseProvider provider)
    {
        await using var h = await LoopHarness.StartAsync(provider);
        var accountOwner = await h.AddMemberAsync(Role.Manager);
        var first = await h.AddMemberAsync(Role.Agent);
        var second = await h.AddMemberAsync(Role.Agent);
        var viewer = await h.AddMemberAsync(Role.Viewer);
        await h.SaveSettingsAsync(new
        {
            ownerRules = new[] { "TeamMember", "AccountOwner", "RoundRobin" },
            roundRobinUserIds = new[] { first.Id, second.Id },
        });

        var byProperty = await h.RespondAsync(2, "Invoice wrong", "a@example.com", properties: new() { ["account_owner"] = accountOwner.Email });
        var viewerNamed = await h.RespondAsync(2, "Nobody helped", "b@example.com", teamMember: viewer.Email);
        var next = await h.RespondAsync(1, "Broken", "c@example.com");
        var third = await h.RespondAsync(0, "Awful", "d@example.com");
        await h.ProcessAsync();

        Assert.Equal(accountOwner.Id, (await h.CaseOfAsync(byProperty)).OwnerUserId);
        // A viewer cannot own cases: the round robin takes it.
        Assert.Equal(first.Id, (await h.CaseOfAsync(viewerNamed)).OwnerUserId);
        Assert.Equal(second.Id, (await h.CaseOfAsync(next)).OwnerUserId);
        Assert.Equal(first.Id, (await h.CaseOfAsync(third)).OwnerUserId);

        var owner = await h.OwnerIdAsync();
        await h.SaveSettingsAsync(new { ownerRules = new[] { "Fallback" }, fallbackUserId = owner });
        var fallback = await h.RespondAsync(4, "Meh", "e@example.com");
        await h.ProcessAsync();
        Assert.Equal(owner, (await h.CaseOfAsync(fallback)).OwnerUserId);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_later_response_from_the_same_contact_joins_the_open_case_and_imports_open_nothing(DatabaseProvider provider)
    {
        await using var h = await LoopHarness.StartAsync(provider);
        await h.CreateRuleAsync(new { name = "Every detractor", categories = new[] { "detractor" }, emailAddresses = new[] { "cx@example.com" } });
        var first = await h.RespondAsync(2, "Late again", "sam@example.com");
        await h.ProcessAsync();
        var later = await h.RespondAsync(1, "Still late", "SAM@example.com");
        var imported = await h.RespondAsync(0, "Old history", "old@example.com", channel: "import");
        await h.ProcessAsync();

        var cases = await h.CasesAsync();
        var only = Assert.Single(cases);
        Assert.Equal(first, only.ResponseId);
        var activities = await h.ActivitiesAsync(only.Id);
        Assert.Contains(activities, a => a.Kind == ActivityKind.LaterResponse && a.Body!.Contains("Still late", StringComparison.Ordinal));
        // The later detractor still alerts (it is news); the imported one does not.
        var alerts = await h.MailsAsync(EmailKinds.Alert);
        Assert.Equal(2, alerts.Count);
        Assert.DoesNotContain(alerts, m => m.TextBody!.Contains("Old history", StringComparison.Ordinal));
        Assert.Equal(0, await h.QueryAsync(db => db.LoopQueue.CountAsync()));
        _ = later;
        _ = imported;
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task An_overdue_case_escalates_once_to_the_admins_and_its_owner(DatabaseProvider provider)
    {
        await using var h = await LoopHarness.StartAsync(provider);
        var agent = await h.AddMemberAsync(Role.Agent);
        var admin = await h.AddMemberAsync(Role.Admin);
        var overdue = await h.RespondAsync(3, "No answer", "una@example.com", teamMember: agent.Email);
        var contacted = await h.RespondAsync(3, "Answered", "ada@example.com", teamMember: agent.Email);
        await h.ProcessAsync();
        var contactedCase = await h.CaseOfAsync(contacted);
        using (var patch = await h.Api.PatchAsJsonAsync($"/api/v1/cases/{contactedCase.Id}", new { status = "contacted" }))
        {
            Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        }

        var escalation = h.Server.Services.GetRequiredService<CaseEscalation>();
        h.Clock!.Advance(TimeSpan.FromHours(23));
        Assert.Equal(0, await escalation.EscalateOverdueAsync(CancellationToken.None));
        h.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await escalation.EscalateOverdueAsync(CancellationToken.None));
        h.Clock.Advance(TimeSpan.FromHours(30));
        Assert.Equal(0, await escalation.EscalateOverdueAsync(CancellationToken.None));

        var c = await h.CaseOfAsync(overdue);
        Assert.NotNull(c.EscalatedAt);
        Assert.Single(await h.ActivitiesAsync(c.Id), a => a.Kind == ActivityKind.Escalated);
        var mails = await h.MailsAsync(EmailKinds.Escalation);
        Assert.Equal(new[] { admin.Email, agent.Email, h.Workspace.OwnerEmail }.Order(StringComparer.Ordinal), mails.Select(m => m.ToAddress).Order(StringComparer.Ordinal));
        Assert.All(mails, m => Assert.Equal(c.Id, m.RelatedId));
        Assert.Null((await h.CaseOfAsync(contacted)).EscalatedAt);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task History_imported_from_a_file_opens_no_case_and_sends_no_alert(DatabaseProvider provider)
    {
        await using var h = await LoopHarness.StartAsync(provider);
        await h.CreateRuleAsync(new { name = "Every detractor", categories = new[] { "detractor" }, emailAddresses = new[] { "cx@example.com" } });
        var path = Path.Combine(Path.GetTempPath(), $"loop-import-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(path, "score,comment,responded_at,email,channel\r\n" +
            "1,Terrible in 2024,2024-03-01T10:00:00Z,hist1@example.com,email\r\n0,Worse,2024-03-02T10:00:00Z,hist2@example.com,web\r\n");
        try
        {
            await h.Server.InWorkspaceAsync(h.Workspace.Id, async sp =>
            {
                await using var stream = File.OpenRead(path);
                return await sp.GetRequiredService<Promoter.Collect.ResponseImporter>()
                    .ImportAsync(stream, new Promoter.Collect.ImportRequest { SurveyId = h.Survey }, CancellationToken.None);
            });
        }
        finally
        {
            File.Delete(path);
        }

        Assert.Equal(2, await h.QueryAsync(db => db.Responses.CountAsync()));
        Assert.Equal(0, await h.QueryAsync(db => db.LoopQueue.CountAsync()));
        await h.ProcessAsync();
        Assert.Empty(await h.CasesAsync());
        Assert.Empty(await h.MailsAsync(EmailKinds.Alert));
    }
}
