using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Churn;

/// <summary>Issue 16's acceptance scenario under a fake clock, through the API and the loop's follow-up work.</summary>
public sealed class ChurnScenarioTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_promoter_who_drops_to_detractor_with_an_overdue_case_ranks_first_and_answering_and_a_new_9_lower_the_risk(DatabaseProvider provider)
    {
        await using var h = await ChurnHarness.StartAsync(provider);
        var clock = h.Clock!;

        // Day 0: two promoters. Day 30: one drops to 3 (a case opens, due in 24 h), the other stays; a new passive arrives.
        await h.RespondAsync(9, "Great", "drop@example.com");
        await h.RespondAsync(9, "Great", "steady@example.com");
        await h.ProcessAsync();
        clock.Advance(TimeSpan.FromDays(30));
        await h.RespondAsync(3, "Support never called back", "drop@example.com");
        await h.RespondAsync(10, "Still great", "steady@example.com");
        await h.RespondAsync(8, null, "new@example.com");
        await h.ProcessAsync();

        // Three days later nobody has contacted the detractor: the nightly rescoring sees the case overdue by 2 days.
        clock.Advance(TimeSpan.FromDays(3));
        await h.RescoreAllAsync();

        var list = await h.Api.GetJsonAsync("/api/v1/contacts/at-risk?min=0");
        var items = list.GetProperty("items").EnumerateArray().ToList();
        var emails = items.Select(i => i.GetProperty("email").GetString()).ToList();
        Assert.Equal("drop@example.com", emails[0]);
        Assert.True(emails.IndexOf("drop@example.com") < emails.IndexOf("new@example.com"));
        Assert.True(emails.IndexOf("drop@example.com") < emails.IndexOf("steady@example.com"));
        var top = items[0].GetProperty("risk");
        var others = items.Skip(1).Select(i => i.GetProperty("risk").GetProperty("score").GetInt32()).ToList();
        Assert.All(others, s => Assert.True(s < top.GetProperty("score").GetInt32()));
        var texts = top.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("text").GetString()!).ToList();
        Assert.Contains(texts, t => t.StartsWith("dropped from 9 to 3 on ", StringComparison.Ordinal));
        Assert.Contains("case overdue by 2 days", texts);
        Assert.Equal("call_within_24h", top.GetProperty("action").GetString());
        Assert.Equal("rules", top.GetProperty("model").GetString());
        var before = top.GetProperty("score").GetInt32();

        // Answering the case (contacted) recomputes the risk at once: no longer overdue.
        var dropId = await h.ContactIdAsync("drop@example.com");
        var theCase = (await h.CasesAsync()).Single(c => c.ContactId == dropId);
        using (var patch = await h.Api.PatchAsJsonAsync($"/api/v1/cases/{theCase.Id}", new { status = "contacted" }))
        {
            Assert.True(patch.IsSuccessStatusCode, await patch.Content.ReadAsStringAsync());
        }

        var afterAnswer = (await h.RiskAsync(dropId))!;
        Assert.True(afterAnswer.Score < before, $"{afterAnswer.Score} < {before}");
        Assert.DoesNotContain("case_overdue", afterAnswer.Reasons, StringComparison.Ordinal);

        // A new 9 is rescored in the follow-up work of that response.
        clock.Advance(TimeSpan.FromDays(1));
        await h.RespondAsync(9, "You fixed it, thanks", "drop@example.com");
        await h.ProcessAsync();
        var afterNine = (await h.RiskAsync(dropId))!;
        Assert.True(afterNine.Score < afterAnswer.Score, $"{afterNine.Score} < {afterAnswer.Score}");

        // The contact read carries the risk and its history, newest first, one point per change.
        var read = await h.Api.GetJsonAsync($"/api/v1/contacts/{dropId}/risk");
        Assert.Equal(afterNine.Score, read.GetProperty("risk").GetProperty("score").GetInt32());
        var history = read.GetProperty("history").EnumerateArray().Select(p => p.GetProperty("score").GetInt32()).ToList();
        Assert.Equal([afterNine.Score, afterAnswer.Score, before], history.Take(3).ToList());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Crossing_the_threshold_raises_one_contact_risk_raised_event(DatabaseProvider provider)
    {
        await using var h = await ChurnHarness.StartAsync(provider);
        await h.RespondAsync(10, null, "crossing@example.com");
        await h.ProcessAsync();
        h.Clock!.Advance(TimeSpan.FromDays(10));
        await h.RespondAsync(0, "Cancelling", "crossing@example.com");
        await h.ProcessAsync();
        await h.RescoreAllAsync();

        var events = await h.QueryAsync(db => db.WebhookEvents.AsNoTracking().Where(e => e.Type == WebhookEventTypes.ContactRiskRaised).ToListAsync());
        var raised = Assert.Single(events);
        var id = await h.ContactIdAsync("crossing@example.com");
        Assert.Equal(id.ToString(), raised.ResourceId);
        Assert.Contains("\"threshold\":50", raised.Payload, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Agents_see_the_risk_of_contacts_whose_cases_they_work_on_only(DatabaseProvider provider)
    {
        await using var h = await ChurnHarness.StartAsync(provider);
        var agent = await h.AddMemberAsync(Role.Agent);
        var colleague = await h.AddMemberAsync(Role.Agent);
        await h.RespondAsync(2, "Bad", "mine@example.com", teamMember: agent.Email);
        await h.RespondAsync(2, "Bad", "theirs@example.com", teamMember: colleague.Email);
        await h.ProcessAsync();

        using var asAgent = await h.Server.SignInAsync(agent.Email, agent.Password);
        var seen = (await asAgent.GetJsonAsync("/api/v1/contacts/at-risk")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("email").GetString()).ToList();
        Assert.Equal(["mine@example.com"], seen);
        var theirs = await h.ContactIdAsync("theirs@example.com");
        var read = await asAgent.GetJsonAsync($"/api/v1/contacts/{theirs}/risk");
        Assert.Equal(JsonValueKind.Null, read.GetProperty("risk").ValueKind);

        var all = (await h.Api.GetJsonAsync("/api/v1/contacts/at-risk")).GetProperty("items").GetArrayLength();
        Assert.Equal(2, all);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task The_at_risk_list_pages_with_a_cursor_and_filters_by_property_category_and_min(DatabaseProvider provider)
    {
        await using var h = await ChurnHarness.StartAsync(provider);
        for (var i = 0; i < 5; i++)
        {
            await h.SetContactPropertiesAsync($"p{i}@example.com", new() { ["region"] = i % 2 == 0 ? "north" : "south" });
            await h.RespondAsync(i, null, $"p{i}@example.com");
        }

        await h.RespondAsync(10, null, "happy@example.com");
        await h.ProcessAsync();

        var first = await h.Api.GetJsonAsync("/api/v1/contacts/at-risk?limit=2");
        Assert.Equal(2, first.GetProperty("items").GetArrayLength());
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await h.Api.GetJsonAsync($"/api/v1/contacts/at-risk?limit=10&cursor={cursor}");
        var scores = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(i => i.GetProperty("risk").GetProperty("score").GetInt32()).ToList();
        Assert.Equal(5, scores.Count);
        Assert.Equal(scores.OrderDescending().ToList(), scores);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);

        var north = await h.Api.GetJsonAsync("/api/v1/contacts/at-risk?filter.region=north");
        Assert.Equal(3, north.GetProperty("items").GetArrayLength());
        var withPromoters = await h.Api.GetJsonAsync("/api/v1/contacts/at-risk?min=0&category=promoter");
        Assert.Equal("happy@example.com", Assert.Single(withPromoters.GetProperty("items").EnumerateArray().ToList()).GetProperty("email").GetString());

        foreach (var (query, field) in new[] { ("min=101", "min"), ("limit=0", "limit"), ("cursor=nope", "cursor"), ("category=angry", "category"), ("owner=x", "owner"), ("filter.%20bad=1", "filter. bad") })
        {
            using var bad = await h.Api.GetAsync("/api/v1/contacts/at-risk?" + query);
            Assert.Equal(400, (int)bad.StatusCode);
            var problem = JsonDocument.Parse(await bad.Content.ReadAsStringAsync()).RootElement;
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query}: {problem}");
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task An_alert_rule_on_risk_rising_above_X_mails_when_a_response_crosses_it_and_refuses_bad_values(DatabaseProvider provider)
    {
        await using var h = await ChurnHarness.StartAsync(provider);
        foreach (var bad in new object[] { 150, -1, "high" })
        {
            var (status, problem) = await h.Api.PostJsonAsync("/api/v1/alert-rules", new { name = "Risky", riskAbove = bad, emailAddresses = new[] { "cs@example.com" } });
            Assert.Equal(400, status);
            Assert.True(problem.GetProperty("errors").TryGetProperty("riskAbove", out _), problem.ToString());
        }

        var rule = await h.CreateRuleAsync(new { name = "Risk above 60", riskAbove = 60, emailAddresses = new[] { "cs@example.com" } });
        Assert.Equal(60, rule.GetProperty("riskAbove").GetInt32());

        await h.RespondAsync(10, null, "x@example.com");
        await h.RespondAsync(9, null, "calm@example.com");
        await h.ProcessAsync();
        Assert.DoesNotContain(await h.MailsAsync(), m => m.ToAddress == "cs@example.com");

        h.Clock!.Advance(TimeSpan.FromDays(10));
        await h.RespondAsync(0, "Cancelling", "x@example.com");
        await h.RespondAsync(9, null, "calm@example.com");
        await h.ProcessAsync();
        var mails = (await h.MailsAsync()).Where(m => m.ToAddress == "cs@example.com").ToList();
        Assert.Single(mails);

        // Already above: another low score does not cross again.
        h.Clock.Advance(TimeSpan.FromDays(1));
        await h.RespondAsync(1, "Still cancelling", "x@example.com");
        await h.ProcessAsync();
        Assert.Single(await h.MailsAsync(), m => m.ToAddress == "cs@example.com");
    }
}
