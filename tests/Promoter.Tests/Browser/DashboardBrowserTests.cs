using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform.Csv;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Browser;

[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed class DashboardBrowserTests(BrowserFixture browser)
{
    private static readonly string[] Hostile = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+1", "-2", "@SUM(A1)", "=cmd|' /C calc'!A0"];

    [Fact]
    public async Task Filters_change_the_numbers_the_chart_renders_exports_are_safe_and_viewers_only_read()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Dashboard");
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await Accounts.TenantFixtures.CreateAsync(api, "/api/v1/surveys", new { name = "Support", brandName = "Northwind" });
        var now = server.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        for (var i = 0; i < 60; i++)
        {
            var channel = i % 3 == 0 ? "email" : "helpdesk";
            var score = channel == "email" ? 9 + (i % 2) : i % 11;
            var comment = i < Hostile.Length ? Hostile[i] : i % 4 == 0 ? $"Comment {i}" : null;
            (await api.PostAsJsonAsync("/api/v1/responses", new
            {
                surveyId = survey, score, comment, channel, teamMember = i % 2 == 0 ? "Ana" : "Bo",
                respondedAt = now.AddDays(-(i % 40)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            })).EnsureSuccessStatusCode();
        }

        var all = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/nps");
        var email = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/nps?channel=email");

        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString(), AcceptDownloads = true });
        var page = await context.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(page, ws.OwnerEmail, ws.OwnerPassword);
        await page.GotoAsync($"/?survey={survey}");
        await Assertions.Expect(page.Locator("#headline-nps")).ToHaveTextAsync(Points(all.GetProperty("summary").GetProperty("nps").GetDouble()));
        await Assertions.Expect(page.Locator("#trend-chart")).ToHaveAttributeAsync("data-rendered", "true");
        await Assertions.Expect(page.Locator("#histogram-chart")).ToHaveAttributeAsync("data-rendered", "true");
        Assert.Contains("Ana", await page.Locator("#breakdown").InnerTextAsync(), StringComparison.Ordinal);

        await page.GetByLabel("Channel").FillAsync("email");
        await page.GetByRole(AriaRole.Button, new() { Name = "Apply" }).ClickAsync();
        await Assertions.Expect(page.Locator("#headline-nps")).ToHaveTextAsync(Points(email.GetProperty("summary").GetProperty("nps").GetDouble()));
        Assert.Contains("channel=email", page.Url, StringComparison.Ordinal); // the view is a shareable URL

        // Exports of the unfiltered view.
        await page.GotoAsync($"/?survey={survey}");
        var csvDownload = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-csv").ClickAsync());
        var csvPath = await csvDownload.PathAsync();
        using (var reader = new StreamReader(csvPath))
        {
            var csv = new CsvRecordReader(reader);
            var header = csv.ReadHeader(detectDelimiter: false)!.ToList();
            var comment = header.IndexOf("comment");
            var score = header.IndexOf("score");
            var rows = new List<string[]>();
            while (csv.Read())
            {
                rows.Add([.. csv.Fields]);
            }

            Assert.Equal(60, rows.Count);
            Assert.All(rows, r => Assert.True(int.TryParse(r[score], NumberStyles.None, CultureInfo.InvariantCulture, out var s) && s is >= 0 and <= 10));
            foreach (var text in Hostile)
            {
                Assert.Contains(rows, r => r[comment] == "'" + text);
            }
        }

        var xlsxDownload = await page.RunAndWaitForDownloadAsync(() => page.Locator("#export-xlsx").ClickAsync());
        using (var zip = ZipFile.OpenRead(await xlsxDownload.PathAsync()))
        {
            using var sheet = new StreamReader(zip.GetEntry("xl/worksheets/sheet1.xml")!.Open());
            var xml = await sheet.ReadToEndAsync();
            Assert.Contains("t=\"inlineStr\"><is><t xml:space=\"preserve\">=HYPERLINK(", xml, StringComparison.Ordinal);
            Assert.DoesNotContain("<f>", xml, StringComparison.Ordinal); // no formulas, ever
            Assert.Matches("<c r=\"E2\"><v>\\d+</v></c>", xml); // scores are numbers
        }

        // A viewer sees the same dashboard, with no way to change anything.
        var (viewerEmail, viewerPassword) = await server.AddMemberAsync(ws.Id, Role.Viewer);
        await using var viewerContext = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString() });
        var viewer = await viewerContext.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(viewer, viewerEmail, viewerPassword);
        await viewer.GotoAsync($"/?survey={survey}");
        await Assertions.Expect(viewer.Locator("#headline-nps")).ToHaveTextAsync(Points(all.GetProperty("summary").GetProperty("nps").GetDouble()));
        Assert.Equal(0, await viewer.Locator("form[method='post']:not(.signout)").CountAsync());
        Assert.Equal(0, await viewer.GetByRole(AriaRole.Link, new() { Name = "Edit" }).CountAsync());
        using var viewerApi = await server.SignInAsync(viewerEmail, viewerPassword);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await viewerApi.PutAsJsonAsync($"/api/v1/surveys/{survey}/target", new { targetNps = 50 })).StatusCode);
    }

    private static string Points(double value) => value.ToString("+0.0;−0.0;0.0", CultureInfo.InvariantCulture);
}
