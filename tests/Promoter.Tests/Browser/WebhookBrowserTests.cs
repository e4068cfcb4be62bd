using Microsoft.Playwright;
using Promoter.Tests.Infrastructure;
using Promoter.Tests.Integrations.Webhooks;

namespace Promoter.Tests.Browser;

[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed class WebhookBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_owner_adds_an_endpoint_by_its_labels_and_reads_the_delivery_log()
    {
        await using var h = await WebhookHarness.StartAsync();
        var failedOnce = 0;
        h.Receiver.Answer = (request, _) => request.Body.Contains("courier", StringComparison.Ordinal) && Interlocked.Exchange(ref failedOnce, 1) == 0
            ? new ReceiverAnswer(503, "{\"error\":\"maintenance\"}")
            : ReceiverAnswer.Ok;
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = h.Server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(page, h.Workspace.OwnerEmail, h.Workspace.OwnerPassword);

        await page.GetByRole(AriaRole.Link, new() { Name = "Webhooks" }).ClickAsync();
        await page.GetByLabel("URL").FillAsync(h.Receiver.Hook("promoter"));
        await page.GetByLabel("Description").FillAsync("CRM sync");
        await page.GetByLabel("response.updated").UncheckAsync();
        await page.GetByLabel("case.created").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Add endpoint" }).ClickAsync();
        await Assertions.Expect(page.Locator("#new-secret")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^whsec_"));

        await h.RespondAsync(3, "The courier never called");
        await h.RespondAsync(10, "Perfect");
        await h.DispatchAsync();
        h.Clock.Advance(TimeSpan.FromSeconds(7));
        await h.DispatchAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Open the new endpoint" }).ClickAsync();
        await Assertions.Expect(page.Locator("#deliveries tbody tr")).ToHaveCountAsync(2);
        Assert.Equal("CRM sync", await page.GetByLabel("Description").InputValueAsync());
        Assert.True(await page.GetByLabel("case.created").IsCheckedAsync());
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("webhooks-endpoint.png"), FullPage = true });

        await page.Locator("#deliveries tbody tr a").Last.ClickAsync(); // the older one, about the courier
        await Assertions.Expect(page.Locator("#attempts tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#payload")).ToContainTextAsync("response.created");
        Assert.Contains("maintenance", await page.Locator("#attempts").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("webhooks-delivery.png"), FullPage = true });
    }
}

/// <summary>
/// Where browser tests put the screenshots they take while checking a page: a temporary folder, never docs/screenshots
/// (that set is refreshed on purpose by scripts/screenshots.sh, see <see cref="PageTourBrowserTests"/>).
/// </summary>
internal static class Screenshots
{
    public static string Folder { get; } = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), "promoter-test-screenshots")).FullName;

    public static string PathOf(string name) => Path.Combine(Folder, name);
}
