using System.Globalization;
using Microsoft.Playwright;
using Promoter.Data;
using Promoter.Tests.Infrastructure;
using Promoter.Tests.Loop;

namespace Promoter.Tests.Browser;

[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed class InboxBrowserTests(BrowserFixture browser)
{
    public static TheoryData<DatabaseProvider, bool> ProvidersAndScript => new()
    {
        { DatabaseProvider.Sqlite, true },
        { DatabaseProvider.Sqlite, false },
        { DatabaseProvider.Postgres, false },
    };

    [Theory]
    [MemberData(nameof(ProvidersAndScript))]
    public async Task Every_open_case_is_reachable_page_by_page_with_the_total_and_the_filters_kept(DatabaseProvider provider, bool javaScript)
    {
        await using var h = await LoopHarness.StartAsync(provider);
        const int Detractors = 205;
        for (var i = 0; i < Detractors; i++)
        {
            await h.RespondAsync(3, $"complaint {i:D3}", email: $"p{i}@example.com");
            if (i % 2 == 1)
            {
                h.Clock!.Advance(TimeSpan.FromMinutes(1)); // pairs share a due time: the id breaks the tie
            }
        }

        await h.RespondAsync(7, "a passive with a comment", email: "passive@example.com");
        await h.ProcessAsync();
        Assert.Equal(Detractors + 1, (await h.CasesAsync()).Count);

        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = h.Server.BaseAddress.ToString(), JavaScriptEnabled = javaScript });
        var page = await context.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(page, h.Workspace.OwnerEmail, h.Workspace.OwnerPassword);
        await page.GotoAsync("/cases?owner=any");
        await page.GetByLabel("Category").SelectOptionAsync("detractor");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.Locator("#case-count")).ToContainTextAsync("205 cases");

        var seen = new List<string>();
        for (var pages = 1; ; pages++)
        {
            Assert.True(pages <= 10, "More pages than cases.");
            var comments = await page.Locator("#cases td.comment").AllInnerTextsAsync();
            Assert.InRange(comments.Count, 1, 50);
            seen.AddRange(comments.Select(c => c.Trim()));
            var next = page.GetByRole(AriaRole.Link, new() { Name = "Next page" });
            if (await next.CountAsync() == 0)
            {
                break;
            }

            var href = await next.GetAttributeAsync("href");
            Assert.Contains("category=detractor", href, StringComparison.Ordinal);
            Assert.Contains("owner=any", href, StringComparison.Ordinal);
            await next.ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "First page" })).ToBeVisibleAsync();
            Assert.Contains("category=detractor", page.Url, StringComparison.Ordinal);
            await Assertions.Expect(page.Locator("#case-count")).ToContainTextAsync("205 cases");
        }

        // Every detractor once, the newest (the last still inside its SLA) included, most urgent first.
        // (Two cases with the same due time may come in either order, but each exactly once.)
        Assert.Equal(Enumerable.Range(0, Detractors).Select(i => $"complaint {i:D3}"), seen.Order(StringComparer.Ordinal));
        var dueOrder = seen.Select(c => int.Parse(c["complaint ".Length..], CultureInfo.InvariantCulture) / 2).ToList();
        Assert.Equal(dueOrder.Order(), dueOrder);
    }
}
