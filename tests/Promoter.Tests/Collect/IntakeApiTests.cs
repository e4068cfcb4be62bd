using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Tests.Accounts;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Collect;

/// <summary>One SQLite server for the table-driven tests of this class (each case checks it wrote nothing).</summary>
public sealed class IntakeServerFixture : IAsyncLifetime
{
    public PromoterTestServer Server { get; private set; } = null!;
    public PromoterTestServer.SeededWorkspace Workspace { get; private set; } = null!;
    public string SurveyId { get; private set; } = "";

    public async Task InitializeAsync()
    {
        Server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        Workspace = await Server.CreateWorkspaceAsync("Intake");
        using var api = Server.CreateApiClient(Workspace.ApiKey);
        SurveyId = await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey("Intake"));
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

public sealed class IntakeApiTests(IntakeServerFixture fixture) : IClassFixture<IntakeServerFixture>
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_created_response_reads_back_exactly_as_it_was_answered(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var ws = await server.CreateWorkspaceAsync("Readback");
        using var api = server.CreateApiClient(ws.ApiKey);
        var survey = await TenantFixtures.CreateAsync(api, "/api/v1/surveys", TenantFixtures.SampleSurvey("Readback"));

        // The contact exists first with a name: the response must report the stored name, not the one it sent.
        await PostAsync(api, new { surveyId = survey, score = 9, contact = new { email = "Maria@Example.com", name = "Maria" } });
        using var created = await PostAsync(api, new
        {
            surveyId = survey,
            score = 3,
            comment = "Delivery was late.\nSecond time.",
            language = "sv",
            channel = "helpdesk",
            respondedAt = "2025-03-01T14:05:00+01:00",
            teamMember = "alice",
            touchpoint = "ticket closed",
            properties = new Dictionary<string, string> { ["plan"] = "pro", ["region"] = "EMEA" },
            contact = new { email = "maria@example.com", name = "Someone else", locale = "sv" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;
        Assert.Equal($"/api/v1/responses/{body["id"]}", created.Headers.Location?.ToString());
        Assert.Equal("detractor", body["category"]!.GetValue<string>());
        Assert.Equal("2025-03-01T13:05:00Z", body["respondedAt"]!.GetValue<string>());
        Assert.Equal("Maria", body["contact"]!["name"]!.GetValue<string>());

        var read = JsonNode.Parse(await api.GetStringAsync(created.Headers.Location))!;
        Assert.True(JsonNode.DeepEquals(body, read), $"POST answered {body}\nGET returned {read}");
    }

    [Fact]
    public async Task Same_key_and_body_replays_the_first_answer_and_stores_one_row()
    {
        using var api = fixture.Server.CreateApiClient(fixture.Workspace.ApiKey);
        var key = Guid.NewGuid().ToString();
        var body = new { surveyId = fixture.SurveyId, score = 10, comment = "Replay me" };
        var before = await CountAsync();

        using var first = await PostAsync(api, body, key);
        using var second = await PostAsync(api, body, key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(before + 1, await CountAsync());

        using var changed = await PostAsync(api, new { surveyId = fixture.SurveyId, score = 0, comment = "Replay me" }, key);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, changed.StatusCode);
        Assert.Equal("idempotency_key_reused", (await changed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(before + 1, await CountAsync());
    }

    [Fact]
    public async Task A_key_still_in_flight_answers_409_and_writes_nothing()
    {
        using var api = fixture.Server.CreateApiClient(fixture.Workspace.ApiKey);
        var key = Guid.NewGuid().ToString();
        var keys = fixture.Server.Services.GetRequiredService<IdempotencyKeys>();
        var before = await CountAsync();
        Assert.True(keys.TryBegin(fixture.Workspace.Id, key));
        try
        {
            using var response = await PostAsync(api, new { surveyId = fixture.SurveyId, score = 8 }, key);
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            Assert.Equal("idempotency_in_flight", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        }
        finally
        {
            keys.End(fixture.Workspace.Id, key);
        }

        Assert.Equal(before, await CountAsync());
        using var after = await PostAsync(api, new { surveyId = fixture.SurveyId, score = 8 }, key);
        Assert.Equal(HttpStatusCode.Created, after.StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Fifty_parallel_posts_with_one_key_store_exactly_one_response(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var ws = await server.CreateWorkspaceAsync("Parallel");
        using var setup = server.CreateApiClient(ws.ApiKey);
        var survey = await TenantFixtures.CreateAsync(setup, "/api/v1/surveys", TenantFixtures.SampleSurvey("Parallel"));
        var key = Guid.NewGuid().ToString();
        var clients = Enumerable.Range(0, 50).Select(_ => server.CreateApiClient(ws.ApiKey)).ToList();
        using var start = new SemaphoreSlim(0);
        var posts = clients.Select(async client =>
        {
            await start.WaitAsync();
            using var response = await PostAsync(client, new { surveyId = survey, score = 7, comment = "Only once" }, key);
            return (response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }).ToList();
        start.Release(50);
        var results = await Task.WhenAll(posts);
        clients.ForEach(c => c.Dispose());

        Assert.All(results, r => Assert.True(r.StatusCode is HttpStatusCode.Created or HttpStatusCode.Conflict, $"{(int)r.StatusCode}: {r.Body}"));
        var created = results.Where(r => r.StatusCode == HttpStatusCode.Created).Select(r => r.Body).ToList();
        Assert.NotEmpty(created);
        Assert.Single(created.Distinct());
        var stored = await server.InWorkspaceAsync(ws.Id, sp => sp.GetRequiredService<PromoterDb>().Responses.CountAsync());
        Assert.Equal(1, stored);
    }

    [Fact]
    public async Task Bidi_controls_are_stripped_and_a_formula_looking_comment_is_kept_verbatim()
    {
        using var api = fixture.Server.CreateApiClient(fixture.Workspace.ApiKey);
        using var response = await PostAsync(api, new { surveyId = fixture.SurveyId, score = 2, comment = "Refund \u202Egnol\u202C \u2066now\u2069 =SUM(A1:A9)" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var comment = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("comment").GetString();
        Assert.Equal("Refund gnol now =SUM(A1:A9)", comment);
    }

    public static TheoryData<string, string, int, string?> HostileBodies()
    {
        const string survey = "\"surveyId\":\"{survey}\"";
        var data = new TheoryData<string, string, int, string?>();
        foreach (var (name, score) in new[]
                 {
                     ("string score", "\"7\""), ("decimal 7.0", "7.0"), ("decimal 7.5", "7.5"), ("negative", "-1"), ("eleven", "11"),
                     ("null score", "null"), ("array", "[7]"), ("boolean", "true"), ("exponent", "1e1"),
                 })
        {
            data.Add(name, $"{{{survey},\"score\":{score}}}", 400, "score");
        }

        data.Add("missing score", $"{{{survey}}}", 400, "score");
        data.Add("comment over 5,000 characters", $"{{{survey},\"score\":5,\"comment\":\"{new string('a', 5_001)}\"}}", 400, "comment");
        data.Add("51 properties", $"{{{survey},\"score\":5,\"properties\":{{{string.Join(",", Enumerable.Range(0, 51).Select(i => $"\"p{i}\":\"v\""))}}}}}", 400, "properties");
        data.Add("bad property name", $"{{{survey},\"score\":5,\"properties\":{{\"bad key!\":\"v\"}}}}", 400, "properties.bad key!");
        data.Add("property not a string", $"{{{survey},\"score\":5,\"properties\":{{\"plan\":3}}}}", 400, "properties.plan");
        data.Add("time without offset", $"{{{survey},\"score\":5,\"respondedAt\":\"2025-03-01T14:05:00\"}}", 400, "respondedAt");
        data.Add("time in the future", $"{{{survey},\"score\":5,\"respondedAt\":\"2999-01-01T00:00:00Z\"}}", 400, "respondedAt");
        data.Add("channel", $"{{{survey},\"score\":5,\"channel\":\"Face Book!\"}}", 400, "channel");
        data.Add("language", $"{{{survey},\"score\":5,\"language\":\"english please\"}}", 400, "language");
        data.Add("contact email", $"{{{survey},\"score\":5,\"contact\":{{\"email\":\"not-an-email\"}}}}", 400, "contact.email");
        data.Add("contact locale", $"{{{survey},\"score\":5,\"contact\":{{\"email\":\"a@example.com\",\"locale\":\"??\"}}}}", 400, "contact.locale");
        data.Add("unknown member", $"{{{survey},\"score\":5,\"nps\":5}}", 400, "nps");
        data.Add("unknown contact member", $"{{{survey},\"score\":5,\"contact\":{{\"email\":\"a@example.com\",\"phone\":\"1\"}}}}", 400, "contact.phone");
        data.Add("no survey", "{\"score\":5}", 400, "surveyId");
        data.Add("survey id not a guid", "{\"surveyId\":\"abc\",\"score\":5}", 400, "surveyId");
        data.Add("unknown survey", $"{{\"surveyId\":\"{Guid.NewGuid()}\",\"score\":5}}", 404, null);
        data.Add("body over 64 KB", $"{{{survey},\"score\":5,\"teamMember\":\"{new string('x', 70_000)}\"}}", 413, null);
        data.Add("not JSON", "score=7", 400, "body");
        data.Add("JSON but not an object", "[1,2,3]", 400, "body");
        return data;
    }

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Hostile_input_gets_a_4xx_naming_the_field_and_writes_nothing(string name, string body, int status, string? field)
    {
        using var api = fixture.Server.CreateApiClient(fixture.Workspace.ApiKey);
        var before = await CountAsync();
        using var response = await api.PostAsync("/api/v1/responses",
            new StringContent(body.Replace("{survey}", fixture.SurveyId, StringComparison.Ordinal), Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"{name}: {(int)response.StatusCode} {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        if (field is not null)
        {
            var fields = JsonDocument.Parse(text).RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
            Assert.True(fields.Contains(field, StringComparer.OrdinalIgnoreCase), $"{name}: errors name [{string.Join(", ", fields)}], expected {field}");
        }

        Assert.Equal(before, await CountAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_415_and_writes_nothing()
    {
        using var api = fixture.Server.CreateApiClient(fixture.Workspace.ApiKey);
        var before = await CountAsync();
        using var response = await api.PostAsync("/api/v1/responses", new StringContent("score=7", Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.Equal(before, await CountAsync());
    }

    private Task<int> CountAsync() =>
        fixture.Server.InWorkspaceAsync(fixture.Workspace.Id, sp => sp.GetRequiredService<PromoterDb>().Responses.CountAsync());

    private static async Task<HttpResponseMessage> PostAsync(HttpClient api, object body, string? key = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/responses") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add(IdempotencyKeys.Header, key);
        }

        return await api.SendAsync(request);
    }
}
