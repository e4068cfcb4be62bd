using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Loop;
using Promoter.Platform.Email;
using Promoter.Tests.Infrastructure;
using Promoter.Tests.Integrations.Webhooks;

namespace Promoter.Tests.Loop;

public sealed class AlertRuleTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Rules_match_keywords_and_properties_post_slack_and_json_through_the_guard_and_digests_collect_until_due(DatabaseProvider provider)
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var h = await LoopHarness.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Webhooks:AllowHttp"] = "true",
            ["Webhooks:AllowedPrivateNetworks"] = WebhookHarness.ReceiverNetwork,
        });
        await h.CreateRuleAsync(new { name = "Refunds to Slack", keywords = new[] { "refund" }, webhookUrl = receiver.Hook("slack"), webhookFormat = "slack" });
        await h.CreateRuleAsync(new { name = "Enterprise", propertyKey = "plan", propertyValue = "enterprise", webhookUrl = receiver.Hook("json"), emailAddresses = new[] { "ops@example.com" } });
        await h.CreateRuleAsync(new { name = "Detractor digest", categories = new[] { "detractor" }, digest = "hourly", emailAddresses = new[] { "digest@example.com" } });
        await h.CreateRuleAsync(new { name = "Switched off", enabled = false, emailAddresses = new[] { "never@example.com" } });

        await h.RespondAsync(3, "I want a REFUND <b>now</b>", "r1@example.com", properties: new() { ["plan"] = "basic" });
        await h.RespondAsync(9, "Great support", "r2@example.com", properties: new() { ["plan"] = "enterprise" });
        await h.RespondAsync(5, "Meh", "r3@example.com");
        await h.ProcessAsync();
        Assert.Equal(2, await h.Server.Services.GetRequiredService<AlertPoster>().SendDueAsync(CancellationToken.None));

        var slack = Assert.Single(receiver.Requests, r => r.Path.EndsWith("/slack", StringComparison.Ordinal));
        var text = JsonDocument.Parse(slack.Body).RootElement.GetProperty("text").GetString()!;
        Assert.Contains("REFUND &lt;b&gt;now&lt;/b&gt;", text, StringComparison.Ordinal);
        Assert.Contains("/cases/", text, StringComparison.Ordinal);
        var json = JsonDocument.Parse(Assert.Single(receiver.Requests, r => r.Path.EndsWith("/json", StringComparison.Ordinal)).Body).RootElement;
        Assert.Equal(9, json.GetProperty("response").GetProperty("score").GetInt32());
        Assert.Equal("enterprise", json.GetProperty("response").GetProperty("properties").GetProperty("plan").GetString());
        Assert.Equal("Enterprise", json.GetProperty("rule").GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, json.GetProperty("case").ValueKind);

        var alerts = await h.MailsAsync(EmailKinds.Alert);
        Assert.Equal(["ops@example.com"], alerts.Select(m => m.ToAddress));
        Assert.Empty(await h.MailsAsync(EmailKinds.Digest));
        Assert.Equal(2, await h.QueryAsync(db => db.AlertDigestItems.CountAsync()));

        var digests = h.Server.Services.GetRequiredService<DigestSender>();
        Assert.Equal(0, await digests.SendDueAsync(CancellationToken.None));
        h.Clock!.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await digests.SendDueAsync(CancellationToken.None));
        Assert.Equal(0, await digests.SendDueAsync(CancellationToken.None));
        var digest = Assert.Single(await h.MailsAsync(EmailKinds.Digest));
        Assert.Equal("digest@example.com", digest.ToAddress);
        Assert.Contains("REFUND", digest.TextBody!, StringComparison.Ordinal);
        Assert.Contains("Meh", digest.TextBody!, StringComparison.Ordinal);
        Assert.Contains("&lt;b&gt;", digest.HtmlBody!, StringComparison.Ordinal);
        Assert.Equal(0, await h.QueryAsync(db => db.AlertDigestItems.CountAsync()));
        Assert.DoesNotContain(await h.MailsAsync(), m => m.ToAddress == "never@example.com");
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_rule_with_a_theme_alerts_on_comments_with_that_theme_at_once_in_any_inflection(DatabaseProvider provider)
    {
        await using var h = await LoopHarness.StartAsync(provider);
        using var created = await h.Api.PostAsJsonAsync("/api/v1/themes", new { name = "Delivery", terms = new Dictionary<string, string[]> { ["en"] = ["delivery", "late"] } });
        created.EnsureSuccessStatusCode();
        var themeId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var bad = await h.Api.PostAsJsonAsync("/api/v1/alert-rules", new { name = "Bad", themeId = Guid.NewGuid(), emailAddresses = new[] { "x@example.com" } });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("themeId", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var rule = await h.CreateRuleAsync(new { name = "Delivery problems", themeId, emailAddresses = new[] { "logistics@example.com" } });
        Assert.Equal(themeId, rule.GetProperty("themeId").GetString());

        // Matched through the pipeline (stemming), before the text index has seen the response.
        await h.RespondAsync(3, "Both deliveries arrived days LATE.", "a@example.com");
        await h.RespondAsync(4, "The staff was rude.", "b@example.com");
        await h.RespondAsync(10, "No comment on the delivery, all good.", "c@example.com");
        await h.ProcessAsync();
        var alerts = await h.MailsAsync(EmailKinds.Alert);
        Assert.Equal(2, alerts.Count);
        Assert.All(alerts, m => Assert.Equal("logistics@example.com", m.ToAddress));
        Assert.Contains(alerts, m => m.TextBody!.Contains("deliveries arrived", StringComparison.Ordinal));
        Assert.DoesNotContain(alerts, m => m.TextBody!.Contains("rude", StringComparison.Ordinal));

        // Deleting the theme leaves a rule that matches nothing, never everything.
        (await h.Api.DeleteAsync($"/api/v1/themes/{themeId}")).EnsureSuccessStatusCode();
        await h.RespondAsync(2, "Late again.", "d@example.com");
        await h.ProcessAsync();
        Assert.Equal(2, (await h.MailsAsync(EmailKinds.Alert)).Count);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_failing_alert_post_is_retried_and_a_refused_address_never_connects(DatabaseProvider provider)
    {
        await using var receiver = await TestReceiver.StartAsync();
        await using var h = await LoopHarness.StartAsync(provider, settings: new Dictionary<string, string?>
        {
            ["Webhooks:AllowHttp"] = "true",
            ["Webhooks:AllowedPrivateNetworks"] = WebhookHarness.ReceiverNetwork,
        });
        var calls = 0;
        receiver.Answer = (_, _) => Interlocked.Increment(ref calls) == 1 ? new ReceiverAnswer(503) : ReceiverAnswer.Ok;
        await h.CreateRuleAsync(new { name = "All", webhookUrl = receiver.Hook("retry") });
        await h.RespondAsync(2, "Down", "x@example.com");
        await h.ProcessAsync();
        var poster = h.Server.Services.GetRequiredService<AlertPoster>();
        Assert.Equal(1, await poster.SendDueAsync(CancellationToken.None));
        var pending = Assert.Single(await h.QueryAsync(db => db.AlertPosts.AsNoTracking().ToListAsync()));
        Assert.Equal((AlertPostStatus.Pending, 1, 503), (pending.Status, pending.Attempts, pending.LastStatusCode));
        Assert.Equal(0, await poster.SendDueAsync(CancellationToken.None));
        h.Clock!.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        Assert.Equal(1, await poster.SendDueAsync(CancellationToken.None));
        Assert.Equal(AlertPostStatus.Sent, (await h.QueryAsync(db => db.AlertPosts.AsNoTracking().SingleAsync())).Status);
        Assert.Equal(2, receiver.Requests.Count);
    }
}
