using System.Globalization;
using Microsoft.Playwright;
using Promoter.Data;
using Promoter.Tests.Accounts;
using Promoter.Tests.Infrastructure;
using Promoter.Tests.Integrations.Delighted.Import;

namespace Promoter.Tests.Browser;

[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed class DelightedImportBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("promoter-delighted-browser-").FullName;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync()
    {
        Directory.Delete(_directory, recursive: true);
        return Task.CompletedTask;
    }

    [Fact]
    public async Task An_owner_uploads_a_Delighted_export_by_the_labels_and_sees_counts_then_escaped_row_errors()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Moving " + Guid.NewGuid().ToString("N")[..6]);
        using var api = server.CreateApiClient(ws.ApiKey);
        await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey("Delighted history"));
        var file = DelightedExportFile.Write(_directory, 2_000);
        var hostile = Path.Combine(_directory, "hostile.csv");
        await File.WriteAllTextAsync(hostile, "Response ID,Score,Response timestamp\n1,<script>alert(1)</script>,2025-01-01T00:00:00Z\n2,9,2025-01-01T00:00:00Z\n");

        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var dialogs = 0;
        page.Dialog += (_, d) =>
        {
            dialogs++;
            _ = d.DismissAsync();
        };
        await SurveyEditorBrowserTests.SignInAsync(page, ws.OwnerEmail, ws.OwnerPassword);
        await page.GotoAsync("/surveys");
        await page.GetByRole(AriaRole.Link, new() { Name = "Import from Delighted" }).ClickAsync();

        await page.GetByLabel("Survey", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Delighted history" });
        await page.GetByLabel("Delighted export (CSV)").SetInputFilesAsync(file.Path);
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Assertions.Expect(page.Locator("#import-result [data-count=imported]")).ToHaveTextAsync(file.Scored.ToString("N0", CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#import-result [data-count=no-score]")).ToHaveTextAsync(file.WithoutScore.ToString("N0", CultureInfo.InvariantCulture));
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("delighted-import.png"), FullPage = true });

        await page.GetByLabel("Survey", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "Delighted history" });
        await page.GetByLabel("Delighted export (CSV)").SetInputFilesAsync(hostile);
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
        await Assertions.Expect(page.Locator("#import-errors tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#import-errors tbody tr td").Nth(3)).ToHaveTextAsync("<script>alert(1)</script>");
        Assert.Contains("Nothing was imported", await page.Locator("#import-result").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, dialogs); // the value was shown as text, never run
    }
}
