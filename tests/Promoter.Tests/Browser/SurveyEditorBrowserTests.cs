using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Browser;

[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed class SurveyEditorBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_manager_designs_a_survey_without_scripts_and_a_viewer_can_only_look()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Editor");
        var (managerEmail, password) = await server.AddMemberAsync(ws.Id, Role.Manager);
        var (viewerEmail, _) = await server.AddMemberAsync(ws.Id, Role.Viewer);

        // The editor must work with JavaScript off, like every dashboard form.
        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString(), JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        await SignInAsync(page, managerEmail, password);

        await page.GotoAsync("/surveys");
        await page.GetByRole(AriaRole.Link, new() { Name = "New survey" }).ClickAsync();
        await page.GetByLabel("Survey name (internal)").FillAsync("Delivery pulse");
        await page.GetByLabel("Brand or product in the question").FillAsync("Northwind Express");
        await page.GetByLabel("Kind").SelectOptionAsync("Transactional");
        await page.GetByLabel("العربية (ar)").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create survey" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Delivery pulse");

        // Second round: a choice question shown to detractors, in both languages, and a review link for promoters.
        await page.GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await page.Locator("#q0-id").FillAsync("issue");
        await page.Locator("#q0-type").SelectOptionAsync("SingleChoice");
        await page.Locator("input[name='Form.Questions[0].ShowTo'][value='Detractor']").CheckAsync();
        await page.Locator("#q0-label-en").FillAsync("What went wrong?");
        await page.Locator("#q0-options-en").FillAsync("late | It was late\ndamaged | It arrived damaged");
        await page.Locator("#q0-label-ar").FillAsync("ما الذي حدث؟");
        await page.GetByLabel("Promoters' link").FillAsync("https://reviews.example/northwind");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Delivery pulse");
        var qr = await page.Locator("img.qr").EvaluateAsync<int>("img => img.naturalWidth");
        Assert.True(qr > 0, "QR code image did not load");

        var surveyId = page.Url.Split('/')[^1];
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{surveyId}");
        Assert.Equal("transactional", survey.GetProperty("kind").GetString());
        Assert.Equal(["en", "ar"], survey.GetProperty("languages").EnumerateArray().Select(l => l.GetString()!).Order(StringComparer.Ordinal).Reverse().ToArray());
        var question = survey.GetProperty("questions")[0];
        Assert.Equal("singleChoice", question.GetProperty("type").GetString());
        Assert.Equal("ما الذي حدث؟", question.GetProperty("label").GetProperty("ar").GetString());
        Assert.Equal(["late", "damaged"], question.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("id").GetString()!).ToArray());
        Assert.Equal("https://reviews.example/northwind", survey.GetProperty("thankYouLinks").GetProperty("promoter").GetString());

        // An invalid edit shows the field's message and changes nothing.
        await page.GotoAsync($"/surveys/{surveyId}/edit");
        await page.GetByLabel("Promoters' link").FillAsync("javascript:alert(1)");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("http:// or https://");
        var unchanged = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{surveyId}");
        Assert.Equal("https://reviews.example/northwind", unchanged.GetProperty("thankYouLinks").GetProperty("promoter").GetString());

        // A viewer sees the survey but cannot open the editor.
        await using var viewerContext = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString() });
        var viewer = await viewerContext.NewPageAsync();
        await SignInAsync(viewer, viewerEmail, password);
        await viewer.GotoAsync("/surveys");
        await Assertions.Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "Delivery pulse" })).ToBeVisibleAsync();
        Assert.Equal(0, await viewer.GetByRole(AriaRole.Link, new() { Name = "New survey" }).CountAsync());
        await viewer.GotoAsync($"/surveys/{surveyId}");
        Assert.Equal(0, await viewer.GetByRole(AriaRole.Link, new() { Name = "Edit" }).CountAsync());
        var forbidden = await viewer.GotoAsync($"/surveys/{surveyId}/edit");
        Assert.Equal(403, forbidden!.Status);
    }

    internal static async Task SignInAsync(IPage page, string email, string password)
    {
        await page.GotoAsync("/login");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator(".who")).ToBeVisibleAsync();
    }
}
