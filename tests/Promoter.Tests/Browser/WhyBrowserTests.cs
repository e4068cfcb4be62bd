using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Tests.Accounts;
using Promoter.Tests.Infrastructure;
using Promoter.Tests.Understand;

namespace Promoter.Tests.Browser;

/// <summary>
/// The dashboard's Why section and the themes page in a real browser: Arabic terms right-to-left, Thai terms rendered,
/// themes filtering the whole dashboard, each term's comments, with and without JavaScript, under the site's CSP.
/// </summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed class WhyBrowserTests(BrowserFixture browser)
{
    private static readonly string[] ArabicDetractors =
    [
        "الخدمة بطيئة جدا", "الخدمة بطيئة والانتظار طويل", "للأسف الخدمة بطيئة", "الخدمه بطيئة كل مرة", "الخدمة بطيئة ولم يرد أحد", "الخدمة بطيئة جدا اليوم",
    ];

    private static readonly string[] ArabicPromoters = ["فريق رائع شكرا", "فريق رائع ومتعاون", "شكرا لكم فريق رائع", "فريق رائع حقا", "فريق رائع كالعادة", "فريق رائع جدا"];

    private static readonly string[] ThaiDetractors = ["บริการช้ามาก", "บริการช้ามากครับ", "วันนี้บริการช้ามาก", "บริการช้ามากจริงๆ", "บริการช้ามากและแพง", "บริการช้ามากเลย"];

    private static readonly string[] ThaiPromoters = ["พนักงานเป็นมิตร", "พนักงานเป็นมิตรมาก", "พนักงานเป็นมิตรและช่วยเหลือดี", "ขอบคุณพนักงานเป็นมิตร", "พนักงานเป็นมิตรทุกคน", "พนักงานเป็นมิตรครับ"];

    private const string ThemeName = "Slow service";

    private sealed record Seeded(PromoterTestServer Server, PromoterTestServer.SeededWorkspace Workspace, string Survey, string ThemeId, long ThemeN) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Server.DisposeAsync();
    }

    [Fact]
    public async Task Why_section_shows_arabic_right_to_left_and_thai_terms_and_a_theme_filters_the_dashboard()
    {
        await using var s = await SeedAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = s.Server.BaseAddress.ToString(), ViewportSize = new() { Width = 1280, Height = 900 } });
        var page = await context.NewPageAsync();
        var problems = Watch(page);
        await SurveyEditorBrowserTests.SignInAsync(page, s.Workspace.OwnerEmail, s.Workspace.OwnerPassword);
        await page.GotoAsync($"/?survey={s.Survey}");
        await Assertions.Expect(page.Locator("#words-chart")).ToHaveAttributeAsync("data-rendered", "true");

        // Arabic: right-to-left whatever its first letter; Thai: present and drawn (a segmented word, with width).
        var arabic = page.Locator("#terms-detractors .term[lang='ar']").First;
        await Assertions.Expect(arabic).ToBeVisibleAsync();
        Assert.Equal("rtl", await arabic.EvaluateAsync<string>("e => getComputedStyle(e).direction"));
        Assert.Contains("رائع", await page.Locator("#terms-promoters").InnerTextAsync(), StringComparison.Ordinal);
        var thai = page.Locator("#terms-detractors .term[lang='th']").First;
        await Assertions.Expect(thai).ToBeVisibleAsync();
        Assert.Matches("[บริการช้า]", await thai.InnerTextAsync());
        Assert.True((await thai.BoundingBoxAsync())!.Width > 0);
        Assert.Contains(await page.Locator("#terms-promoters .term[lang='th']").AllInnerTextsAsync(), t => t.Contains("พนักงาน", StringComparison.Ordinal) || t.Contains("มิตร", StringComparison.Ordinal));

        // A term's comments: the shortest detractor comments with it, in the respondent's script.
        await arabic.ClickAsync();
        var comments = page.Locator("#terms-detractors details[open] ul.comments li");
        await Assertions.Expect(comments.First).ToBeVisibleAsync();
        Assert.Contains("بطيئة", await comments.First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("rtl", await comments.First.Locator("bdi").EvaluateAsync<string>("e => getComputedStyle(e).direction"));

        var why = page.Locator("#why");
        await why.ScrollIntoViewIfNeededAsync();
        await why.ScreenshotAsync(new() { Path = ScreenshotPath("why-section.png") });

        // The language selector narrows the terms to one pipeline language.
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Language of the terms" }).GetByRole(AriaRole.Link, new() { Name = "th", Exact = true }).ClickAsync();
        Assert.Contains("whyLanguage=th", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#terms-detractors .term").First).ToBeVisibleAsync();
        Assert.All(await page.Locator("table.terms .term").EvaluateAllAsync<string[]>("es => es.map(e => e.lang)"), l => Assert.Equal("th", l));

        // A theme filters the whole dashboard; its chip takes the filter off again.
        await page.Locator("#themes").GetByRole(AriaRole.Link, new() { Name = ThemeName }).ClickAsync();
        await Assertions.Expect(page.Locator("#theme-chip")).ToBeVisibleAsync();
        Assert.Contains($"theme={s.ThemeId}", page.Url, StringComparison.Ordinal);
        Assert.Contains("whyLanguage=th", page.Url, StringComparison.Ordinal); // other choices kept
        await Assertions.Expect(page.Locator("#headline-n")).ToHaveTextAsync(s.ThemeN.ToString("N0", CultureInfo.InvariantCulture));
        await page.Locator("#theme-chip").ClickAsync();
        await Assertions.Expect(page.Locator("#theme-chip")).ToHaveCountAsync(0);
        Assert.DoesNotContain("theme=", page.Url, StringComparison.Ordinal);

        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Without_javascript_the_why_tables_comments_theme_filter_and_make_a_theme_still_work()
    {
        await using var s = await SeedAsync();
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = s.Server.BaseAddress.ToString(), JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(page, s.Workspace.OwnerEmail, s.Workspace.OwnerPassword);
        await page.GotoAsync($"/?survey={s.Survey}");
        Assert.True(await page.Locator("#terms-detractors tbody tr").CountAsync() > 0);
        Assert.True(await page.Locator("#terms-promoters tbody tr").CountAsync() > 0);
        Assert.Contains("pull NPS down", await page.Locator("#themes").InnerTextAsync(), StringComparison.Ordinal);

        // Native disclosure: no script needed to read a term's comments.
        await page.Locator("#terms-detractors summary").First.ClickAsync();
        await Assertions.Expect(page.Locator("#terms-detractors details[open] ul.comments li").First).ToBeVisibleAsync();

        await page.Locator("#themes").GetByRole(AriaRole.Link, new() { Name = ThemeName }).ClickAsync();
        Assert.Contains($"theme={s.ThemeId}", page.Url, StringComparison.Ordinal);
        await Assertions.Expect(page.Locator("#headline-n")).ToHaveTextAsync(s.ThemeN.ToString("N0", CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("#theme-chip")).ToBeVisibleAsync();

        // "Make a theme" is a plain POST form: a theme named after the term, with the term in its language, then its edit page.
        await page.GotoAsync($"/?survey={s.Survey}&whyLanguage=th");
        var row = page.Locator("#terms-promoters tbody tr").First;
        var term = (await row.Locator(".term").InnerTextAsync()).Trim();
        await row.GetByRole(AriaRole.Button, new() { Name = "Make a theme" }).ClickAsync();
        await Assertions.Expect(page.Locator("#theme-message")).ToBeVisibleAsync();
        Assert.Matches("/themes/[0-9a-f-]{36}", page.Url);
        await Assertions.Expect(page.Locator("#Form_Name")).ToHaveValueAsync(term);
        await Assertions.Expect(page.Locator("#Form_Terms_th")).ToHaveValueAsync(term);

        // A viewer reads the Why section but gets no way to change themes.
        var (viewerEmail, viewerPassword) = await s.Server.AddMemberAsync(s.Workspace.Id, Role.Viewer);
        await using var viewerContext = await browser.Browser.NewContextAsync(new() { BaseURL = s.Server.BaseAddress.ToString(), JavaScriptEnabled = false });
        var viewer = await viewerContext.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(viewer, viewerEmail, viewerPassword);
        await viewer.GotoAsync($"/?survey={s.Survey}");
        Assert.True(await viewer.Locator("#terms-detractors tbody tr").CountAsync() > 0);
        Assert.Equal(0, await viewer.GetByRole(AriaRole.Button, new() { Name = "Make a theme" }).CountAsync());
    }

    [Fact]
    public async Task Themes_page_shows_errors_next_to_the_field_and_creates_edits_and_deletes()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Themes");
        var (managerEmail, password) = await server.AddMemberAsync(ws.Id, Role.Manager);
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString() });
        var page = await context.NewPageAsync();
        var problems = Watch(page);
        await SurveyEditorBrowserTests.SignInAsync(page, managerEmail, password);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Themes" }).ClickAsync();
        await Assertions.Expect(page.Locator("#no-themes")).ToBeVisibleAsync();

        // Four content words are too many for one phrase: the message sits under the English field, the typing is kept.
        await page.GetByLabel("Name").FillAsync("Delivery");
        await page.GetByLabel("English (en)").FillAsync("late delivery\ndamaged parcel arrived broken");
        await page.GetByLabel("Arabic (ar)").FillAsync("التوصيل");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create theme" }).ClickAsync();
        await Assertions.Expect(page.Locator("#Form_Terms_en_error")).ToContainTextAsync("damaged parcel arrived broken");
        await Assertions.Expect(page.Locator("#Form_Terms_ar_error")).ToBeEmptyAsync();
        await Assertions.Expect(page.GetByLabel("Arabic (ar)")).ToHaveValueAsync("التوصيل");
        Assert.Equal("rtl", await page.GetByLabel("Arabic (ar)").EvaluateAsync<string>("e => getComputedStyle(e).direction"));

        await page.GetByLabel("English (en)").FillAsync("late delivery\ndamaged parcel");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create theme" }).ClickAsync();
        await Assertions.Expect(page.Locator("#theme-message")).ToContainTextAsync("Theme created");
        var id = page.Url.Split('/', '?')[4];

        await page.GetByLabel("Name").FillAsync("Delivery and parcels");
        await page.GetByLabel("Thai (th)").FillAsync("ส่งช้า");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save theme" }).ClickAsync();
        await Assertions.Expect(page.Locator("#theme-message")).ToContainTextAsync("Saved");
        await Assertions.Expect(page.GetByLabel("Thai (th)")).ToHaveValueAsync("ส่งช้า");

        await page.GotoAsync("/themes");
        var list = page.Locator("#theme-list");
        await Assertions.Expect(list).ToContainTextAsync("Delivery and parcels");
        await Assertions.Expect(list).ToContainTextAsync("ส่งช้า");
        Assert.Equal($"/?theme={id}", await list.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).GetAttributeAsync("href"));

        // A viewer sees the list, not the editor.
        var (viewerEmail, viewerPassword) = await server.AddMemberAsync(ws.Id, Role.Viewer);
        await using var viewerContext = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString() });
        var viewer = await viewerContext.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(viewer, viewerEmail, viewerPassword);
        await viewer.GotoAsync("/themes");
        await Assertions.Expect(viewer.Locator("#theme-list")).ToContainTextAsync("Delivery and parcels");
        Assert.Equal(0, await viewer.Locator("form[method='post']:not(.signout)").CountAsync());
        Assert.Equal(403, (await viewer.GotoAsync($"/themes/{id}"))!.Status);

        await list.GetByRole(AriaRole.Link, new() { Name = "Edit Delivery and parcels" }).ClickAsync();
        await page.Locator("summary", new() { HasText = "Delete this theme" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete theme" }).ClickAsync();
        await Assertions.Expect(page.Locator("#no-themes")).ToBeVisibleAsync();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    /// <summary>Console errors (CSP violations among them) and uncaught script errors.</summary>
    private static List<string> Watch(IPage page)
    {
        var problems = new List<string>();
        page.Console += (_, m) =>
        {
            // Not ours to judge here: the site has no favicon, and a form sent back with its errors answers 400 on purpose.
            var expected = m.Text.StartsWith("Failed to load resource", StringComparison.Ordinal) &&
                           (m.Location.Contains("/favicon.ico", StringComparison.Ordinal) || (m.Text.Contains("400", StringComparison.Ordinal) && m.Location.Contains("handler=", StringComparison.Ordinal)));
            if (m.Type is "error" or "warning" && !expected)
            {
                problems.Add($"{m.Type}: {m.Text} at {m.Location}");
            }
        };
        page.PageError += (_, e) => problems.Add("page error: " + e);
        return problems;
    }

    private static async Task<Seeded> SeedAsync()
    {
        var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Why");
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await TenantFixtures.CreateAsync(api, "/api/v1/surveys", new { name = "Service", brandName = "Northwind" });
        await UnderstandApiTests.SeedAsync(api, survey, rounds: 6, seed: 13);
        var i = 0;
        foreach (var (comments, language, low) in new[] { (ArabicDetractors, "ar", 1), (ArabicPromoters, "ar", 9), (ThaiDetractors, "th", 2), (ThaiPromoters, "th", 9) })
        {
            foreach (var comment in comments)
            {
                var score = low == 9 ? 9 + (i++ % 2) : low + (i++ % 5);
                (await api.PostAsJsonAsync("/api/v1/responses", new { surveyId = survey, score, comment, language })).EnsureSuccessStatusCode();
            }
        }

        var themeId = await TenantFixtures.CreateAsync(api, "/api/v1/themes",
            new { name = ThemeName, terms = new Dictionary<string, string[]> { ["ar"] = ["الخدمة بطيئة"], ["th"] = ["บริการช้า"], ["en"] = ["slow"] } });
        await UnderstandApiTests.IndexedAsync(api);
        var stats = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey}/themes");
        var row = stats.GetProperty("themes").EnumerateArray().Single(t => t.GetProperty("id").GetString() == themeId);
        var n = row.GetProperty("summary").GetProperty("n").GetInt64();
        Assert.True(n >= 12, $"the theme should tag the Arabic and Thai detractors: {row}");
        return new Seeded(server, ws, survey, themeId, n);
    }

    private static string ScreenshotPath(string name) => Path.Combine(Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots")).FullName, name);
}
