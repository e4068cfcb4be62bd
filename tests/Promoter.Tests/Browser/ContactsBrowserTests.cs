using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using Microsoft.Playwright;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Browser;

[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed class ContactsBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task An_owner_imports_filters_and_opens_a_profile_and_a_viewer_only_reads()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Contacts");
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await Accounts.TenantFixtures.CreateAsync(api, "/api/v1/surveys", new { name = "Support", brandName = "Northwind" });
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(page, ws.OwnerEmail, ws.OwnerPassword);

        // A file with the same person twice is refused as a whole, with the lines named.
        await page.GetByRole(AriaRole.Link, new() { Name = "Contacts" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Import CSV" }).ClickAsync();
        await UploadAsync(page, "email,name,plan\nana@example.com,Ana,gold\nANA@example.com,Ana again,gold\n");
        await Assertions.Expect(page.Locator("#import-result")).ToContainTextAsync("Nothing was imported");
        await Assertions.Expect(page.Locator("#import-errors")).ToContainTextAsync("line 2");

        await UploadAsync(page,
            "email,name,locale,time_zone,plan\n" +
            "ana@example.com,Ana <script>alert(1)</script>,sv,Europe/Stockholm,gold\n" +
            "rania@example.com,رانيا القحطاني,ar,Asia/Riyadh,gold\n" +
            "bo@example.com,Bo,sv,Europe/Stockholm,silver\n");
        await Assertions.Expect(page.Locator("[data-count=created]")).ToHaveTextAsync("3");

        // Two responses over time for Ana, and an invitation.
        var now = server.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        foreach (var (score, days, comment) in new[] { (4, 60, "Slow <b>delivery</b>"), (9, 2, "Much better now") })
        {
            (await api.PostAsJsonAsync("/api/v1/responses", new
            {
                surveyId = survey, score, comment, contact = new { email = "ana@example.com" },
                respondedAt = now.AddDays(-days).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            })).EnsureSuccessStatusCode();
        }

        (await api.PostAsJsonAsync($"/api/v1/surveys/{survey}/invitations", new { contact = new { email = "ana@example.com" }, delaySeconds = 3600 })).EnsureSuccessStatusCode();

        await page.GetByRole(AriaRole.Link, new() { Name = "See the contacts" }).ClickAsync();
        await Assertions.Expect(page.Locator("#contacts tbody tr")).ToHaveCountAsync(3);
        await page.GetByLabel("Property").FillAsync("plan:gold");
        await page.GetByLabel("Language").FillAsync("sv");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Assertions.Expect(page.Locator("#contacts tbody tr")).ToHaveCountAsync(1);
        Assert.Contains("property=plan%3Agold", page.Url, StringComparison.Ordinal); // the filters live in the URL
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("contacts-list.png"), FullPage = true });

        await page.Locator("#contacts tbody tr a").First.ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Ana <script>alert(1)</script>"); // shown as text, not run
        await Assertions.Expect(page.Locator("#contact-properties")).ToContainTextAsync("gold");
        await Assertions.Expect(page.Locator("#contact-responses tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("#contact-responses tbody tr").First.Locator("td").Nth(3)).ToHaveTextAsync("Much better now"); // newest first
        await Assertions.Expect(page.Locator("#contact-responses")).ToContainTextAsync("Slow <b>delivery</b>");
        await Assertions.Expect(page.Locator("#contact-invitations tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("#contact-invitations")).ToContainTextAsync("scheduled");
        await Assertions.Expect(page.Locator("#score-chart circle")).ToHaveCountAsync(2);
        await page.ScreenshotAsync(new() { Path = Screenshots.PathOf("contacts-profile.png"), FullPage = true });

        // A viewer reads the same pages without import or delete.
        var (viewerEmail, viewerPassword) = await server.AddMemberAsync(ws.Id, Role.Viewer);
        await using var viewerContext = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString() });
        var viewer = await viewerContext.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(viewer, viewerEmail, viewerPassword);
        await viewer.GotoAsync("/contacts?name=%D8%B1%D8%A7%D9%86%D9%8A%D8%A7");
        await Assertions.Expect(viewer.Locator("#contacts tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "Import CSV" })).ToHaveCountAsync(0);
        await viewer.Locator("#contacts tbody tr a").First.ClickAsync();
        await Assertions.Expect(viewer.GetByRole(AriaRole.Button, new() { Name = "Delete contact" })).ToHaveCountAsync(0);
        await viewer.GotoAsync("/contacts/import");
        await Assertions.Expect(viewer.Locator("main")).ToContainTextAsync("needs the contacts:write permission");

        // The owner deletes a contact from the profile.
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete contact" }).ClickAsync();
        await Assertions.Expect(page.Locator("#contact-count")).ToContainTextAsync("2 contact(s)");
    }

    private static async Task UploadAsync(IPage page, string csv)
    {
        await page.GetByLabel("Contacts (CSV)").SetInputFilesAsync(new FilePayload { Name = "contacts.csv", MimeType = "text/csv", Buffer = Encoding.UTF8.GetBytes(csv) });
        await page.GetByRole(AriaRole.Button, new() { Name = "Import" }).ClickAsync();
    }
}
