using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Playwright;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Browser;

/// <summary>The one-tag widget on a customer's site: isolated iframe, identity passed along, once per visitor, allowed origins only.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed class WidgetBrowserTests(BrowserFixture browser)
{
    private static readonly string Shop = $"http://localhost:{PostgresCluster.FreePort()}";
    private static readonly string Stranger = $"http://localhost:{PostgresCluster.FreePort()}";

    /// <summary>A customer's site: a real loopback server of its own (another origin than Promoter's), serving one page.</summary>
    private static async Task<WebApplication> StartSiteAsync(string origin, Func<string> html)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(origin);
        builder.Logging.ClearProviders();
        var site = builder.Build();
        site.MapGet("/{**path}", () => Results.Content(html(), "text/html"));
        await site.StartAsync();
        return site;
    }

    private static async Task<JsonElement> SessionAsync(PromoterTestServer server, string survey, string origin, string email)
    {
        using var client = server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/widget/{survey}/session?email={Uri.EscapeDataString(email)}");
        request.Headers.Add("Origin", origin);
        var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    [Fact]
    public async Task The_widget_shows_once_passes_the_visitor_and_only_on_allowed_sites()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Widget");
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await Accounts.TenantFixtures.CreateAsync(api, "/api/v1/surveys", new
        {
            name = "Widget", brandName = "Acme", languages = new[] { "en", "ar" }, allowedOrigins = new[] { Shop },
        });

        var pageHtml = "<!DOCTYPE html><html lang=\"en\"><title>Shop</title><body><h1>Checkout</h1>" +
                        $"<script src=\"{server.BaseAddress}widget.js\" data-survey=\"{survey}\" data-email=\"visitor@example.com\" data-user-id=\"cust-42\" " +
                        "data-name=\"Vera Visitor\" data-properties='{\"plan\":\"pro\"}' async></script></body></html>";
        await using var shop = await StartSiteAsync(Shop, () => pageHtml);
        await using var strangerSite = await StartSiteAsync(Stranger, () => pageHtml);
        var context = await browser.Browser.NewContextAsync();

        var page = await context.NewPageAsync();
        await page.GotoAsync(Shop + "/checkout");
        var frame = page.FrameLocator("iframe[data-promoter-widget]");
        await frame.GetByRole(AriaRole.Radio, new() { Name = "9", Exact = true }).CheckAsync();
        await frame.GetByRole(AriaRole.Button, new() { Name = "Submit" }).ClickAsync();
        await Assertions.Expect(frame.GetByRole(AriaRole.Heading, new() { Name = "Thank you!" })).ToBeVisibleAsync();
        var box = await page.Locator("iframe[data-promoter-widget]").BoundingBoxAsync();
        Assert.True(box!.X > page.ViewportSize!.Width / 2, "the widget sits in the right-hand corner of a left-to-right page");

        var responses = (await api.GetFromJsonAsync<JsonElement>($"/api/v1/responses?surveyId={survey}")).GetProperty("data");
        var response = Assert.Single(responses.EnumerateArray().ToList());
        Assert.Equal("widget", response.GetProperty("channel").GetString());
        Assert.Equal("visitor@example.com", response.GetProperty("contact").GetProperty("email").GetString());
        Assert.Equal("pro", response.GetProperty("properties").GetProperty("plan").GetString());
        Assert.Equal("cust-42", response.GetProperty("properties").GetProperty("user_id").GetString());

        // Same visitor again: remembered in the browser…
        await page.GotoAsync(Shop + "/checkout");
        await page.WaitForTimeoutAsync(1_000);
        Assert.Equal(0, await page.Locator("iframe[data-promoter-widget]").CountAsync());
        // …and by the server, even from a fresh browser (the throttle window).
        var fresh = await browser.Browser.NewContextAsync();
        var again = await fresh.NewPageAsync();
        await again.GotoAsync(Shop + "/again");
        await again.WaitForTimeoutAsync(1_500);
        Assert.False((await SessionAsync(server, survey, Shop, "visitor@example.com")).GetProperty("show").GetBoolean());
        Assert.Equal(0, await again.Locator("iframe[data-promoter-widget]").CountAsync());

        // A site that is not allowed gets nothing, and cannot read the answer either.
        var stranger = await context.NewPageAsync();
        await stranger.GotoAsync(Stranger + "/page");
        await stranger.WaitForTimeoutAsync(500);
        Assert.Equal(0, await stranger.Locator("iframe[data-promoter-widget]").CountAsync());

        using (var refusedClient = server.CreateClient())
        {
            var refusal = new HttpRequestMessage(HttpMethod.Get, $"/widget/{survey}/session");
            refusal.Headers.Add("Origin", Stranger);
            var refused = await refusedClient.SendAsync(refusal);
            Assert.Equal(System.Net.HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.False(refused.Headers.Contains("Access-Control-Allow-Origin"));
        }

        using var direct = server.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Get, $"/widget/{survey}/session?email=someone@example.com");
        request.Headers.Add("Origin", Shop);
        var ok = await direct.SendAsync(request);
        Assert.Equal(Shop, ok.Headers.GetValues("Access-Control-Allow-Origin").Single());
        Assert.False(ok.Headers.Contains("Access-Control-Allow-Credentials"));
        await fresh.CloseAsync();
        await context.CloseAsync();
    }
}
