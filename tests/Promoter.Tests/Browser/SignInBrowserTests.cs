using Microsoft.Playwright;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Browser;

[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed class SignInBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task Too_many_failed_sign_ins_show_the_sign_in_page_with_the_wait_not_json()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Locked out");
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        for (var i = 0; i < 11; i++)
        {
            await page.GotoAsync("/login");
            await page.GetByLabel("Email").FillAsync(ws.OwnerEmail);
            await page.GetByLabel("Password").FillAsync("not the password " + i);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToBeVisibleAsync();
            if (i == 9)
            {
                await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Try again in 15 minutes");
            }
        }

        // The eleventh attempt within a minute is over the network's limit: still a page, with the wait and a way back.
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Try again in");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("promoter user reset-password");
        Assert.DoesNotContain("\"code\"", await page.ContentAsync(), StringComparison.Ordinal);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to sign in" })).ToBeVisibleAsync();
    }
}
