using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Surveys;

public sealed class SurveysApiTests : IAsyncLifetime
{
    private PromoterTestServer _server = null!;
    private HttpClient _api = null!;

    public async Task InitializeAsync()
    {
        _server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        _api = _server.CreateApiClient((await _server.CreateWorkspaceAsync("Surveys")).ApiKey);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        await _server.DisposeAsync();
    }

    [Fact]
    public async Task A_survey_stored_with_an_empty_definition_reads_as_the_defaults_everywhere()
    {
        var workspace = await _server.CreateWorkspaceAsync("Bare " + Guid.NewGuid().ToString("N")[..6]);
        var id = Guid.CreateVersion7();
        await _server.InWorkspaceAsync(workspace.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            db.Surveys.Add(new Promoter.Surveys.Survey { Id = id, Name = "Seeded", BrandName = "Acme", Definition = "{}", CreatedAt = now, UpdatedAt = now });
            return await db.SaveChangesAsync();
        });
        using var owner = await _server.SignInAsync(workspace.OwnerEmail, workspace.OwnerPassword);
        using var api = _server.CreateApiClient(workspace.ApiKey);

        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/surveys/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await owner.GetAsync($"/surveys/{id}/edit")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await new HttpClient { BaseAddress = _server.BaseAddress }.GetAsync($"/s/{id}")).StatusCode);
        var dto = await api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}");
        Assert.Equal(0, dto.GetProperty("questions").GetArrayLength());
        Assert.Equal(0, dto.GetProperty("allowedOrigins").GetArrayLength());
    }

    private static object FullSurvey(string name = "Q3 relationship") => new
    {
        name,
        brandName = "Acme Café",
        kind = "transactional",
        languages = new[] { "en", "ar", "th" },
        defaultLanguage = "en",
        texts = new Dictionary<string, object> { ["ar"] = new { whyDetractor = "ما الذي يمكننا تحسينه؟" } },
        questions = new object[]
        {
            new
            {
                id = "topics", type = "multipleChoice", showTo = new[] { "detractor", "passive" }, required = false,
                label = new Dictionary<string, string> { ["en"] = "What should we improve?", ["ar"] = "ما الذي يجب أن نحسنه؟" },
                options = new object[]
                {
                    new { id = "price", label = new Dictionary<string, string> { ["en"] = "Price" } },
                    new { id = "speed", label = new Dictionary<string, string> { ["en"] = "Speed" } },
                },
            },
            new { id = "effort", type = "scale", scaleMin = 1, scaleMax = 5, label = new Dictionary<string, string> { ["en"] = "How easy was it?" } },
        },
        thankYouLinks = new Dictionary<string, string> { ["promoter"] = "https://g.example/review" },
        primaryColor = "#AA3300",
        logoUrl = "https://cdn.example/logo.png",
        allowedOrigins = new[] { "https://shop.example", "http://localhost:8080" },
        throttleDays = 60,
        reminderDays = (int?)null,
        editWindowDays = 3,
        scoreCapture = "explicit",
        anonymous = true,
    };

    [Fact]
    public async Task A_survey_round_trips_through_create_get_list_and_replace()
    {
        var created = await _api.PostAsJsonAsync("/api/v1/surveys", FullSurvey());
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetString();
        Assert.Equal($"/api/v1/surveys/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal("transactional", body.GetProperty("kind").GetString());
        Assert.Equal("#aa3300", body.GetProperty("primaryColor").GetString());
        Assert.Equal(JsonValueKind.Null, body.GetProperty("reminderDays").ValueKind);
        Assert.Equal("https://g.example/review", body.GetProperty("thankYouLinks").GetProperty("promoter").GetString());
        Assert.Equal("multipleChoice", body.GetProperty("questions")[0].GetProperty("type").GetString());
        Assert.Equal("detractor", body.GetProperty("questions")[0].GetProperty("showTo")[0].GetString());
        Assert.EndsWith($"/s/{id}", body.GetProperty("surveyUrl").GetString(), StringComparison.Ordinal);

        var fetched = await _api.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{id}");
        Assert.Equal(body.GetRawText(), fetched.GetRawText());
        var list = await _api.GetFromJsonAsync<JsonElement>("/api/v1/surveys");
        Assert.Contains(list.EnumerateArray(), s => s.GetProperty("id").GetString() == id);

        var replaced = await _api.PutAsJsonAsync($"/api/v1/surveys/{id}", new { name = "Renamed", brandName = "Acme", languages = new[] { "sv" } });
        Assert.Equal(HttpStatusCode.OK, replaced.StatusCode);
        var after = await replaced.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("sv", after.GetProperty("defaultLanguage").GetString());
        Assert.Equal(0, after.GetProperty("questions").GetArrayLength());
    }

    [Fact]
    public async Task Qr_codes_come_as_svg_and_png()
    {
        var id = (await (await _api.PostAsJsonAsync("/api/v1/surveys", FullSurvey("QR"))).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        var svg = await _api.GetAsync($"/api/v1/surveys/{id}/qr");
        Assert.Equal("image/svg+xml", svg.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<svg", (await svg.Content.ReadAsStringAsync()).TrimStart(), StringComparison.Ordinal);
        var png = await _api.GetByteArrayAsync($"/api/v1/surveys/{id}/qr?format=png");
        Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
        Assert.Equal(HttpStatusCode.BadRequest, (await _api.GetAsync($"/api/v1/surveys/{id}/qr?format=gif")).StatusCode);
    }

    public static TheoryData<string, string> HostileSurveys => new()
    {
        { """{"brandName":"A"}""", "name" },
        { """{"name":"S","brandName":"   "}""", "brandName" },
        { """{"name":"S","brandName":"A","languages":["xx"]}""", "languages" },
        { """{"name":"S","brandName":"A","languages":[]}""", "languages" },
        { """{"name":"S","brandName":"A","languages":["en"],"defaultLanguage":"sv"}""", "defaultLanguage" },
        { """{"name":"S","brandName":"A","texts":{"sv":{"whyDetractor":"x"}}}""", "texts.sv" },
        { """{"name":"S","brandName":"A","primaryColor":"red"}""", "primaryColor" },
        { """{"name":"S","brandName":"A","logoUrl":"javascript:alert(1)"}""", "logoUrl" },
        { """{"name":"S","brandName":"A","logoUrl":"http://plain.example/logo.png"}""", "logoUrl" },
        { """{"name":"S","brandName":"A","thankYouLinks":{"promoter":"javascript:alert(1)"}}""", "thankYouLinks.promoter" },
        { """{"name":"S","brandName":"A","allowedOrigins":["https://shop.example/path"]}""", "allowedOrigins" },
        { """{"name":"S","brandName":"A","allowedOrigins":["*"]}""", "allowedOrigins" },
        { """{"name":"S","brandName":"A","throttleDays":-1}""", "throttleDays" },
        { """{"name":"S","brandName":"A","reminderDays":"3"}""", "reminderDays" },
        { """{"name":"S","brandName":"A","editWindowDays":365}""", "editWindowDays" },
        { """{"name":"S","brandName":"A","kind":"weekly"}""", "kind" },
        { """{"name":"S","brandName":"A","kind":1}""", "kind" },
        { """{"name":"S","brandName":"A","questions":[{"id":"a b","type":"text","label":{"en":"Q"}}]}""", "questions[0].id" },
        { """{"name":"S","brandName":"A","questions":[{"id":"q","type":"text","label":{}}]}""", "questions[0].label" },
        { """{"name":"S","brandName":"A","questions":[{"id":"q","type":"singleChoice","label":{"en":"Q"},"options":[{"id":"o","label":{"en":"O"}}]}]}""", "questions[0].options" },
        { """{"name":"S","brandName":"A","questions":[{"id":"q","type":"scale","scaleMin":5,"scaleMax":5,"label":{"en":"Q"}}]}""", "questions[0].scaleMax" },
        { """{"name":"S","brandName":"A","questions":[{"id":"q","type":"text","label":{"en":"Q"}},{"id":"q","type":"text","label":{"en":"R"}}]}""", "questions[1].id" },
        { """{"name":"S","brandName":"A","surprise":1}""", "surprise" },
        { """{"name":"S\u202Ehidden","brandName":"A","unknown":{}}""", "unknown" },
    };

    [Theory]
    [MemberData(nameof(HostileSurveys))]
    public async Task Invalid_surveys_get_a_400_naming_the_field_and_nothing_is_stored(string json, string field)
    {
        var before = (await _api.GetFromJsonAsync<JsonElement>("/api/v1/surveys")).GetArrayLength();
        var response = await _api.PostAsync("/api/v1/surveys", new StringContent(json, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, text);
        var errors = JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.True(errors.Any(e => e.StartsWith(field, StringComparison.OrdinalIgnoreCase)), $"expected {field} in [{string.Join(", ", errors)}]");
        Assert.Equal(before, (await _api.GetFromJsonAsync<JsonElement>("/api/v1/surveys")).GetArrayLength());
    }

    [Fact]
    public async Task Bidi_controls_in_names_are_stripped()
    {
        var created = await _api.PostAsJsonAsync("/api/v1/surveys", new { name = "Pulse\u202E gnp.exe", brandName = "Acme\u2066" });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Pulse gnp.exe", body.GetProperty("name").GetString());
        Assert.Equal("Acme", body.GetProperty("brandName").GetString());
    }
}
