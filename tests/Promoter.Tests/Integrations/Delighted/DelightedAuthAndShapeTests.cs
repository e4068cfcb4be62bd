using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Integrations.Delighted;

public sealed class DelightedServerFixture : IAsyncLifetime
{
    public PromoterTestServer Server { get; private set; } = null!;
    public PromoterTestServer.SeededWorkspace Workspace { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new PromoterTestServer.Options
        {
            Settings = { ["Email:DispatchEnabled"] = "false", ["Webhooks:DispatchEnabled"] = "false" },
        });
        Workspace = await Server.CreateWorkspaceAsync("Delighted auth");
    }

    public async Task DisposeAsync() => await Server.DisposeAsync();
}

/// <summary>Transport and auth as Delighted clients expect them: every refusal in Delighted's shape, never a redirect.</summary>
public sealed class DelightedAuthAndShapeTests(DelightedServerFixture fixture) : IClassFixture<DelightedServerFixture>
{
    private PromoterTestServer Server => fixture.Server;

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Basic_auth_with_the_key_as_user_name_works_with_and_without_the_trailing_colon(bool colon)
    {
        using var client = DelightedHttp.Client(Server, fixture.Workspace.ApiKey, colon);
        var (status, body, _) = await DelightedHttp.SendAsync(client, HttpMethod.Get, "/v1/metrics");
        Assert.Equal(200, status);
        Assert.Equal(0, body!["response_count"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_bearer_key_works_too_and_the_json_suffix_is_the_same_endpoint()
    {
        using var client = Server.CreateApiClient(fixture.Workspace.ApiKey);
        var plain = await client.GetStringAsync("/v1/metrics");
        var suffixed = await client.GetStringAsync("/v1/metrics.json");
        Assert.Equal(plain, suffixed);
        Assert.Equal("[]", await client.GetStringAsync("/v1/bounces.json?page=1"));
    }

    public static TheoryData<string?> Unauthenticated => new()
    {
        null,
        "Basic " + Convert.ToBase64String("prm_notakey:"u8.ToArray()),
        "Basic !!!not-base64!!!",
        "Basic " + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("prm_" + new string('A', 49) + ":")),
        "Bearer prm_" + new string('z', 49),
    };

    [Theory]
    [MemberData(nameof(Unauthenticated))]
    public async Task Missing_or_bad_keys_get_Delighted_401(string? authorization)
    {
        using var client = Server.CreateClient(new HttpClientHandler { AllowAutoRedirect = false });
        if (authorization is not null)
        {
            client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", authorization);
        }

        foreach (var (method, path) in new[] { ("GET", "/v1/people"), ("POST", "/v1/people.json"), ("DELETE", "/v1/people/email%3Aa%40b.com"), ("GET", "/v1/survey_responses") })
        {
            var (status, body, response) = await DelightedHttp.SendAsync(client, new HttpMethod(method), path, method == "POST" ? "{\"email\":\"a@b.com\"}" : null);
            Assert.Equal(401, status);
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"status":401,"message":"Unauthorized"}"""), body), body?.ToJsonString());
            Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains("Basic", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_revoked_key_is_refused_and_a_signed_in_browser_session_is_not_an_api_key()
    {
        var key = await Server.CreateApiKeyAsync(fixture.Workspace.Id, Scopes.ApiKeyDefault);
        await Server.InWorkspaceAsync(fixture.Workspace.Id, async sp =>
        {
            var keys = sp.GetRequiredService<ApiKeys>();
            var db = sp.GetRequiredService<PromoterDb>();
            var prefix = ApiKeyFormat.PrefixOf(key);
            return await keys.RevokeAsync(db.ApiKeys.Single(k => k.Prefix == prefix).Id, CancellationToken.None);
        });
        using var revoked = DelightedHttp.Client(Server, key);
        Assert.Equal(401, (await DelightedHttp.SendAsync(revoked, HttpMethod.Get, "/v1/metrics")).Status);

        using var browser = await Server.SignInAsync(fixture.Workspace.OwnerEmail, fixture.Workspace.OwnerPassword);
        var (status, body, _) = await DelightedHttp.SendAsync(browser, HttpMethod.Get, "/v1/metrics");
        Assert.Equal(401, status);
        Assert.Equal(401, body!["status"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_key_without_the_scope_gets_403_in_Delighted_shape_and_writes_nothing()
    {
        var readOnly = await Server.CreateApiKeyAsync(fixture.Workspace.Id, [Scopes.MetricsRead, Scopes.ContactsRead]);
        using var client = DelightedHttp.Client(Server, readOnly);
        Assert.Equal(200, (await DelightedHttp.SendAsync(client, HttpMethod.Get, "/v1/metrics")).Status);
        var (status, body, _) = await DelightedHttp.PostAsync(client, "/v1/people", new { email = "scoped@example.com", send = false });
        Assert.Equal(403, status);
        Assert.Equal(403, body!["status"]!.GetValue<int>());
        using var all = DelightedHttp.Client(Server, fixture.Workspace.ApiKey);
        var people = await DelightedHttp.SendAsync(all, HttpMethod.Get, "/v1/people?email=scoped%40example.com");
        Assert.Equal("[]", people.Body!.ToJsonString());
    }

    [Fact]
    public async Task Non_json_accept_gets_406_and_unknown_paths_get_404_never_a_redirect()
    {
        using var client = DelightedHttp.Client(Server, fixture.Workspace.ApiKey);
        client.DefaultRequestHeaders.Accept.Clear();
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("text/html"));
        var (status, body, _) = await DelightedHttp.SendAsync(client, HttpMethod.Get, "/v1/metrics");
        Assert.Equal(406, status);
        Assert.Equal(406, body!["status"]!.GetValue<int>());

        using var json = DelightedHttp.Client(Server, fixture.Workspace.ApiKey);
        foreach (var path in new[] { "/v1/nothing", "/v1/people/not-a-person", "/v1/survey_responses/12345678", "/v1/survey_responses/abc.json", "/v1/" })
        {
            var (code, error, response) = await DelightedHttp.SendAsync(json, HttpMethod.Get, path);
            Assert.True(code == 404, $"{path}: {code} {error?.ToJsonString()}");
            Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"status":404,"message":"Not Found"}"""), error), $"{path}: {error?.ToJsonString()}");
            Assert.Null(response.Headers.Location);
        }

        // A trailing slash is the same resource, not a redirect to it.
        Assert.Equal(200, (await DelightedHttp.SendAsync(json, HttpMethod.Get, "/v1/people/")).Status);
    }

    [Fact]
    public async Task Each_key_has_its_own_bucket_and_a_429_says_when_to_come_back()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new PromoterTestServer.Options
        {
            Settings = { ["Delighted:RequestsPerMinute"] = "5" },
        });
        var a = await server.CreateWorkspaceAsync("A");
        var b = await server.CreateWorkspaceAsync("B");
        using var clientA = DelightedHttp.Client(server, a.ApiKey);
        using var clientB = DelightedHttp.Client(server, b.ApiKey);
        var statuses = new List<int>();
        for (var i = 0; i < 6; i++)
        {
            statuses.Add((await DelightedHttp.SendAsync(clientA, HttpMethod.Get, "/v1/metrics")).Status);
        }

        Assert.Equal([200, 200, 200, 200, 200, 429], statuses);
        var (status, body, response) = await DelightedHttp.SendAsync(clientA, HttpMethod.Get, "/v1/people");
        Assert.Equal(429, status);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"status":429,"message":"Too Many Requests"}"""), body), body?.ToJsonString());
        var retryAfter = int.Parse(response.Headers.GetValues("Retry-After").Single(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 12);
        Assert.Equal(200, (await DelightedHttp.SendAsync(clientB, HttpMethod.Get, "/v1/metrics")).Status);
    }
}
