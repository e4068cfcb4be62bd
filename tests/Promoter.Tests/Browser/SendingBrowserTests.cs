using Microsoft.Playwright;
using Promoter.Data;
using Promoter.Platform.Email;
using Promoter.Tests.Infrastructure;
using Promoter.Tests.Sending;

namespace Promoter.Tests.Browser;

[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed class SendingBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_unsubscribe_page_works_without_script_in_the_persons_language()
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var h = await DistributionHarness.StartAsync(DatabaseProvider.Sqlite, relay.Settings());
        var survey = await h.CreateSurveyAsync();
        var id = await h.TriggerAsync(survey, "layla@example.org", locale: "ar", name: "ليلى");
        var token = (await h.InvitationAsync(id)).UnsubscribeToken;
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = h.Server.BaseAddress.ToString(), JavaScriptEnabled = false });
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/u/{token}");
        Assert.Equal("rtl", await page.Locator("html").GetAttributeAsync("dir"));
        await Assertions.Expect(page.Locator("bdi").Last).ToHaveTextAsync("layla@example.org");
        Assert.Empty(await h.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.EmailSuppressions)));
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("unsubscribe-confirm-ar.png"), FullPage = true });

        await page.GetByRole(AriaRole.Button, new() { Name = "إلغاء الاشتراك" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("تم إلغاء اشتراكك");
        var suppression = Assert.Single(await h.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.EmailSuppressions)));
        Assert.Equal(("layla@example.org", SuppressionReason.Unsubscribed, "link"), (suppression.EmailKey, suppression.Reason, suppression.Source));
    }

    [Fact]
    public async Task The_sending_page_shows_each_sends_status_and_response_rate()
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var h = await DistributionHarness.StartAsync(DatabaseProvider.Sqlite, relay.Settings());
        var survey = await h.CreateSurveyAsync("Delivery");
        var answered = await h.TriggerAsync(survey, "one@example.org", properties: new() { ["touchpoint"] = "order delivered" });
        await h.TriggerAsync(survey, "two@example.org");
        await h.TriggerAsync(survey, "bounce-three@example.org");
        await h.TriggerAsync(survey, "later@example.org", delaySeconds: 86400);
        await h.DispatchAsync();
        h.Clock.Advance(TimeSpan.FromHours(1));
        using (var client = h.Server.CreateClient())
        {
            var url = $"/r/{(await h.InvitationAsync(answered)).Token}";
            var (_, ticket) = await Collect.RespondentKit.OpenAsync(client, url + "?score=9");
            await Collect.RespondentKit.PostAsync(client, url, ("t", ticket), ("score", "9"));
        }

        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = h.Server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(page, h.Workspace.OwnerEmail, h.Workspace.OwnerPassword);
        await page.GetByRole(AriaRole.Link, new() { Name = "Sending" }).ClickAsync();

        var row = page.Locator("#sends tbody tr").Filter(new() { HasText = "Touchpoint triggers" });
        await Assertions.Expect(row).ToHaveCountAsync(1);
        var cells = await row.Locator("td").AllInnerTextsAsync();
        // 4 invitations: 1 scheduled, 2 delivered (one answered), 1 bounced: half of the delivered ones answered.
        Assert.Equal(["Delivery", "triggered", "4", "1", "2", "0 / 0", "1", "1", "50%"], cells.Skip(1).ToList());
        await Assertions.Expect(page.Locator("#queue-pending")).ToHaveTextAsync("3"); // the delayed invitation and two reminders
        await Assertions.Expect(page.Locator("#recent tbody tr")).ToHaveCountAsync(4);
        await Assertions.Expect(page.Locator("#recent")).ToContainTextAsync("order delivered");
        await Assertions.Expect(page.Locator("#recent")).ToContainTextAsync("5.1.1");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("sending.png"), FullPage = true });
    }
}
