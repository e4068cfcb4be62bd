using Microsoft.Playwright;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Browser;

[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed class FirstRunBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_newcomer_sets_up_a_workspace_signs_out_and_signs_back_in()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        await using var context = await browser.Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();

        await page.GotoAsync("/");
        Assert.EndsWith("/setup", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Workspace name").FillAsync("Northwind Support");
        await page.GetByLabel("Your name").FillAsync("Nora North");
        await page.GetByLabel("Email").FillAsync("nora@northwind.example");
        await page.GetByLabel("Password (at least 10 characters)").FillAsync("a-long-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create workspace" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(server.BaseAddress + "welcome");
        Assert.Equal("Northwind Support", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("owner", await page.Locator(".who").InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Signed out");
        await page.GotoAsync("/setup");
        Assert.EndsWith("/login", page.Url, StringComparison.Ordinal); // setup closes once an account exists

        await page.GetByLabel("Email").FillAsync("nora@northwind.example");
        await page.GetByLabel("Password").FillAsync("wrong-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("do not match");

        await page.GetByLabel("Password").FillAsync("a-long-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(server.BaseAddress + "welcome");
        Assert.Equal("Northwind Support", await page.Locator("h1").InnerTextAsync());

        await page.GotoAsync("/settings/api-keys");
        await page.GetByLabel("Name").FillAsync("Helpdesk");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create key" }).ClickAsync();
        await Assertions.Expect(page.Locator("#new-key")).ToBeVisibleAsync();
        var key = (await page.Locator("#new-key").InnerTextAsync()).Trim();
        Assert.StartsWith("prm_", key, StringComparison.Ordinal);
        using var api = server.CreateApiClient(key);
        Assert.True((await api.GetAsync("/api/v1/workspace")).IsSuccessStatusCode);
    }
}
