using System.Net;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Tests.Collect;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Loop;

public sealed class LoopSettingsPageTests
{
    [Fact]
    public async Task An_owner_adds_an_alert_rule_and_sets_the_policy_on_the_page_bad_addresses_are_refused_and_viewers_cannot_post()
    {
        await using var h = await LoopHarness.StartAsync(DatabaseProvider.Sqlite);
        var agent = await h.AddMemberAsync(Role.Agent);
        using var owner = await h.Server.SignInAsync(h.Workspace.OwnerEmail, h.Workspace.OwnerPassword);

        var page = await owner.GetStringAsync("/settings/loop");
        using (var refused = await owner.PostAsync("/settings/loop?handler=Rule", RespondentKit.Form(("RuleName", "Ops"),
                   ("RuleEmailAddresses", "ops@example.com\r\nBcc: evil@example.com"), ("__RequestVerificationToken", HtmlForms.AntiforgeryToken(page)))))
        {
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.Contains("Enter email addresses", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Equal(0, await h.QueryAsync(db => db.AlertRules.CountAsync()));
        using (var added = await owner.PostAsync("/settings/loop?handler=Rule", RespondentKit.Form(("RuleName", "Angry enterprise"),
                   ("RuleCategories", "detractor"), ("RuleKeywords", "cancel, refund"), ("RuleEmailAddresses", "ops@example.com, cx@example.com"),
                   ("RuleDigest", "daily"), ("__RequestVerificationToken", HtmlForms.AntiforgeryToken(page)))))
        {
            Assert.Equal(HttpStatusCode.Redirect, added.StatusCode);
        }

        var rule = await h.QueryAsync(db => db.AlertRules.AsNoTracking().SingleAsync());
        Assert.Equal(("Angry enterprise", "detractor", "cancel,refund", "ops@example.com,cx@example.com", Promoter.Loop.AlertDigest.Daily),
            (rule.Name, rule.Categories, rule.Keywords, rule.EmailAddresses, rule.Digest));

        using (var policy = await owner.PostAsync("/settings/loop?handler=Policy", RespondentKit.Form(("DetractorSlaHours", "12"), ("PassiveSlaHours", ""),
                   ("RoundRobinUserIds", agent.Id.ToString()), ("RootCauses", "Price\nCourier"), ("__RequestVerificationToken", HtmlForms.AntiforgeryToken(page)))))
        {
            Assert.Equal(HttpStatusCode.Redirect, policy.StatusCode);
        }

        var settings = await h.QueryAsync(db => db.LoopSettings.AsNoTracking().SingleAsync());
        Assert.Equal((12, (int?)null, agent.Id.ToString()), (settings.DetractorSlaHours, settings.PassiveSlaHours, settings.RoundRobinUserIds));
        Assert.Equal(["Price", "Courier"], settings.RootCauseList);

        var viewer = await h.AddMemberAsync(Role.Viewer);
        using var asViewer = await h.Server.SignInAsync(viewer.Email, viewer.Password);
        var viewerPage = await asViewer.GetStringAsync("/settings/loop");
        Assert.DoesNotContain("Add rule", viewerPage, StringComparison.Ordinal);
        using var forbidden = await asViewer.PostAsync("/settings/loop?handler=Rule", RespondentKit.Form(("RuleName", "Sneaky"),
            ("__RequestVerificationToken", HtmlForms.AntiforgeryToken(viewerPage))));
        // Forbid() sends a signed-in user to the access-denied page; what matters is that nothing was written.
        Assert.True(forbidden.StatusCode is HttpStatusCode.Forbidden or HttpStatusCode.Found, forbidden.StatusCode.ToString());
        Assert.DoesNotContain("/settings/loop", forbidden.Headers.Location?.ToString() ?? "", StringComparison.Ordinal);
        Assert.Equal(1, await h.QueryAsync(db => db.AlertRules.CountAsync()));
    }
}
