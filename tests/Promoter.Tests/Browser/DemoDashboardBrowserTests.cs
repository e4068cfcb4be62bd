using Microsoft.Playwright;
using Promoter.Data;
using Promoter.Demo;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Browser;

[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed class DemoDashboardBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task The_demo_dashboard_shows_a_flagged_bad_month_and_can_be_photographed()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        await using (var scope = server.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<DemoSeeder>().SeedAsync(CancellationToken.None);
        }

        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(page, DemoSeeder.OwnerEmail, DemoSeeder.OwnerPassword);
        var today = server.Services.GetRequiredService<TimeProvider>().GetUtcNow();
        await page.GotoAsync("/?from=" + today.AddDays(-179).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) + "&interval=month");
        await Assertions.Expect(page.Locator("#trend-chart")).ToHaveAttributeAsync("data-rendered", "true");
        Assert.True(await page.Locator("#trend-table tr.out").CountAsync() >= 1, "the rough month should fall outside its control limits");
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("dashboard.png"), FullPage = true });
    }
}
