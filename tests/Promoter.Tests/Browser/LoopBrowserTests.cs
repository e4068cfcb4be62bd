using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Tests.Infrastructure;
using Promoter.Tests.Loop;

namespace Promoter.Tests.Browser;

[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed partial class LoopBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_detractor_is_alerted_within_seconds_the_agent_replies_from_the_case_page_and_the_answer_threads_on_the_case()
    {
        await using var mail = await MailDev.StartAsync();
        await using var h = await LoopHarness.StartAsync(DatabaseProvider.Sqlite, fakeClock: false, settings: mail.Settings());
        var agent = await h.AddMemberAsync(Role.Agent);
        await h.CreateRuleAsync(new { name = "Detractors to their owner", categories = new[] { "detractor" }, emailCaseOwner = true });

        var sent = Stopwatch.StartNew();
        var responseId = await h.RespondAsync(2, "The courier never called back", "robin@example.com", teamMember: agent.Email);
        var alerts = await mail.WaitForAsync(1, TimeSpan.FromSeconds(5), agent.Email);
        sent.Stop();
        var alert = Assert.Single(alerts);
        Assert.True(sent.Elapsed < TimeSpan.FromSeconds(5), $"The alert took {sent.Elapsed}.");
        Assert.Contains("The courier never called back", alert.GetProperty("text").GetString(), StringComparison.Ordinal);

        var theCase = await h.CaseOfAsync(responseId);
        Assert.Equal(agent.Id, theCase.OwnerUserId);
        Assert.Equal((await h.ResponseAsync(responseId)).RespondedAt.AddHours(24), theCase.DueAt);

        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = h.Server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(page, agent.Email, agent.Password);
        await page.GetByRole(AriaRole.Link, new() { Name = "Cases" }).ClickAsync();
        await Assertions.Expect(page.Locator("#cases tbody tr")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("loop-inbox.png"), FullPage = true });
        await page.Locator("#cases a.case-link").First.ClickAsync();
        await Assertions.Expect(page.Locator("#comment")).ToContainTextAsync("The courier never called back");

        var body = await page.GetByLabel("Message").InputValueAsync();
        Assert.Contains("Robin Respondent", body, StringComparison.Ordinal);
        await page.GetByLabel("Message").FillAsync(body.Replace("…", "we will call you tomorrow morning", StringComparison.Ordinal));
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Assertions.Expect(page.Locator("#thread")).ToContainTextAsync("we will call you tomorrow morning");

        // Contacted once the relay took the mail, and the message says so.
        var replies = await mail.WaitForAsync(1, TimeSpan.FromSeconds(15), "robin@example.com");
        for (var tries = 0; tries < 30 && await page.Locator("#thread .mail-state").GetAttributeAsync("data-state") != "sent"; tries++)
        {
            await Task.Delay(500);
            await page.ReloadAsync();
        }

        await Assertions.Expect(page.Locator("#thread .mail-state")).ToHaveAttributeAsync("data-state", "sent");
        await Assertions.Expect(page.Locator("#case-status")).ToContainTextAsync("contacted");
        var reply = Assert.Single(replies);
        var text = reply.GetProperty("text").GetString()!;
        Assert.Contains("we will call you tomorrow morning", text, StringComparison.Ordinal);
        var link = ReplyLink().Match(text);
        Assert.True(link.Success, text);

        var respondent = await context.NewPageAsync();
        await respondent.GotoAsync(link.Value);
        await Assertions.Expect(respondent.Locator("#thread")).ToContainTextAsync("we will call you tomorrow morning");
        await respondent.GetByLabel("Your message").FillAsync("Thanks, morning works. Please ring after nine.");
        await respondent.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await Assertions.Expect(respondent.Locator("#sent")).ToBeVisibleAsync();

        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("#thread .from-respondent")).ToContainTextAsync("Please ring after nine.");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("loop-case.png"), FullPage = true });
        var after = await h.CaseOfAsync(responseId);
        Assert.NotNull(after.FirstContactedAt);
        Assert.Equal(Promoter.Loop.CaseStatus.Contacted, after.Status);
    }

    [GeneratedRegex(@"http://[^\s]+/reply/[0-9a-f]{40}")]
    private static partial Regex ReplyLink();
}
