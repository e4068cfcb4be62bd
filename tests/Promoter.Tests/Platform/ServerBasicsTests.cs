using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Platform;

public sealed class ServerBasicsTests : IAsyncLifetime
{
    private PromoterTestServer _server = null!;
    private PromoterTestServer.SeededWorkspace _ws = null!;

    public async Task InitializeAsync()
    {
        _server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        _ws = await _server.CreateWorkspaceAsync("Basics");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task Health_and_readiness_answer_and_openapi_describes_the_api()
    {
        using var client = _server.CreateClient();
        Assert.Equal("ok", await client.GetStringAsync("/healthz"));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/readyz")).StatusCode);
        var openApi = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var paths = openApi.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/v1/members", paths);
        Assert.Contains("/api/v1/api-keys/{id}", paths);
    }

    [Fact]
    public async Task Unknown_api_routes_answer_problem_details()
    {
        using var api = _server.CreateApiClient(_ws.ApiKey);
        var response = await api.GetAsync("/api/v1/no-such-thing");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("not_found", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    [Theory]
    [InlineData("{\"name\": 12}", "name")]
    [InlineData("{\"name\": \"k\", \"expiresAt\": \"tomorrow\"}", "expiresAt")]
    [InlineData("{\"name\": \"k\", \"scopes\": \"surveys:read\"}", "scopes")]
    [InlineData("{\"name\": \"k\", \"surprise\": true}", "surprise")]
    [InlineData("{\"name\": \"k\"", "body")]
    [InlineData("[1,2,3]", "body")]
    [InlineData("{\"name\": \"\"}", "name")]
    [InlineData("{\"name\": \"k\", \"scopes\": [\"everything:please\"]}", "scopes")]
    [InlineData("{\"name\": \"k\", \"expiresAt\": \"2001-01-01T00:00:00Z\"}", "expiresAt")]
    public async Task Hostile_json_gets_a_400_naming_the_field_and_writes_nothing(string body, string field)
    {
        using var api = _server.CreateApiClient(_ws.ApiKey);
        var before = (await api.GetFromJsonAsync<JsonElement>("/api/v1/api-keys")).GetArrayLength();
        var response = await api.PostAsync("/api/v1/api-keys", new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        var problem = JsonDocument.Parse(text).RootElement;
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.True(fields.Contains(field, StringComparer.OrdinalIgnoreCase), $"errors name [{string.Join(", ", fields)}], expected {field}: {text}");
        Assert.Equal(before, (await api.GetFromJsonAsync<JsonElement>("/api/v1/api-keys")).GetArrayLength());
    }

    [Fact]
    public async Task Wrong_content_type_and_oversized_bodies_are_4xx_problems()
    {
        using var api = _server.CreateApiClient(_ws.ApiKey);
        var plain = await api.PostAsync("/api/v1/api-keys", new StringContent("name=x", Encoding.UTF8, "text/plain"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, plain.StatusCode);
        var huge = await api.PostAsync("/api/v1/api-keys", new StringContent("{\"name\":\"" + new string('x', 2_000_000) + "\"}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, huge.StatusCode);
    }

    [Fact]
    public async Task Dashboard_pages_send_a_strict_content_security_policy()
    {
        using var client = _server.CreateClient(new HttpClientHandler { AllowAutoRedirect = false });
        var response = await client.GetAsync("/login");
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", csp, StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
