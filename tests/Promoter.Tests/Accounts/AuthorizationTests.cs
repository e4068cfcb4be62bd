using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Accounts;

public sealed class AuthorizationTests
{
    [Fact]
    public async Task Every_api_endpoint_answers_401_to_a_missing_malformed_unknown_or_revoked_key()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Keys");
        using var owner = server.CreateApiClient(ws.ApiKey);
        var revoked = await server.CreateApiKeyAsync(ws.Id, Scopes.All);
        var revokedId = (await owner.GetFromJsonAsync<JsonElement>("/api/v1/api-keys")).EnumerateArray()
            .Single(k => revoked.StartsWith(k.GetProperty("prefix").GetString()!, StringComparison.Ordinal)).GetProperty("id").GetString();
        (await owner.DeleteAsync($"/api/v1/api-keys/{revokedId}")).EnsureSuccessStatusCode();

        var unknown = ApiKeyFormat.NewKey();
        var badKeys = new (string Name, AuthenticationHeaderValue? Header)[]
        {
            ("none", null),
            ("malformed", new("Bearer", "prm_not-a-key")),
            ("bad checksum", new("Bearer", ws.ApiKey[..^1] + (ws.ApiKey[^1] == 'a' ? 'b' : 'a'))),
            ("unknown", new("Bearer", unknown)),
            ("revoked", new("Bearer", revoked)),
            ("basic with garbage", new("Basic", "!!!")),
        };

        var failures = new List<string>();
        foreach (var endpoint in ApiEndpoints.Enumerate(server.Services))
        {
            var url = endpoint.WithRandomIds();
            foreach (var (name, header) in badKeys)
            {
                using var client = server.CreateClient(new HttpClientHandler { AllowAutoRedirect = false });
                client.DefaultRequestHeaders.Authorization = header;
                using var response = await client.SendAsync(TenantFixtures.Request(endpoint, url));
                if (response.StatusCode != HttpStatusCode.Unauthorized)
                {
                    failures.Add($"{endpoint} with {name} key: {(int)response.StatusCode}");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task A_viewer_and_a_read_only_key_get_403_on_every_write_endpoint()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Viewers");
        var (email, password) = await server.AddMemberAsync(ws.Id, Role.Viewer);
        var viewer = await server.SignInAsync(email, password);
        var readOnlyKey = server.CreateApiClient(await server.CreateApiKeyAsync(ws.Id, [.. Scopes.All.Where(s => s.EndsWith(":read", StringComparison.Ordinal))]));

        var writes = ApiEndpoints.Enumerate(server.Services).Where(e => ApiEndpoints.IsWrite(e.Method)).ToList();
        Assert.NotEmpty(writes);
        var failures = new List<string>();
        foreach (var endpoint in writes)
        {
            if (endpoint.Scope is null || !endpoint.Scope.EndsWith(":write", StringComparison.Ordinal))
            {
                failures.Add($"{endpoint} declares no write scope ({endpoint.Scope ?? "none"}).");
                continue;
            }

            var url = endpoint.WithRandomIds();
            foreach (var (name, client) in new[] { ("viewer", viewer), ("read-only key", readOnlyKey) })
            {
                using var response = await client.SendAsync(TenantFixtures.Request(endpoint, url));
                if (response.StatusCode != HttpStatusCode.Forbidden)
                {
                    failures.Add($"{endpoint} as {name}: {(int)response.StatusCode} (expected 403)");
                }
            }
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
        // …and the viewer still reads.
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/workspace")).StatusCode);
    }

    [Fact]
    public async Task Passwords_are_stored_as_pbkdf2_with_at_least_210000_iterations()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Hashes");
        var hash = await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            return await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(db.Users, u => u.Email == ws.OwnerEmail);
        });
        var bytes = Convert.FromBase64String(hash.PasswordHash);
        Assert.Equal(0x01, bytes[0]); // Identity V3 format
        var prf = (bytes[1] << 24) | (bytes[2] << 16) | (bytes[3] << 8) | bytes[4];
        var iterations = (bytes[5] << 24) | (bytes[6] << 16) | (bytes[7] << 8) | bytes[8];
        Assert.Equal(2, prf); // HMAC-SHA512
        Assert.True(iterations >= 210_000, $"{iterations} iterations");
        Assert.DoesNotContain(ws.OwnerPassword, hash.PasswordHash, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_is_rate_limited_per_network_and_answers_a_person_with_a_page_that_says_how_long_to_wait()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Lockout");
        using var client = server.CreateClient(new CookieJar(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }));
        var token = HtmlForms.AntiforgeryToken(await client.GetStringAsync("/login"));
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 11; i++)
        {
            var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = ws.OwnerEmail,
                ["Password"] = "wrong password " + i,
                ["__RequestVerificationToken"] = token,
            }));
            statuses.Add(response.StatusCode);
            limited = response;
        }

        Assert.All(statuses.Take(10), s => Assert.Equal(HttpStatusCode.BadRequest, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, statuses[10]);
        Assert.True(limited!.Headers.RetryAfter is not null, "429 without Retry-After");
        // A person gets the sign-in page with the wait, not a JSON problem.
        Assert.Equal("text/html", limited.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Try again in", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_role_change_applies_to_an_existing_session_at_once()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Roles");
        var (email, password) = await server.AddMemberAsync(ws.Id, Role.Admin);
        var admin = await server.SignInAsync(email, password);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/api-keys")).StatusCode);

        using var owner = server.CreateApiClient(ws.ApiKey);
        var members = await owner.GetFromJsonAsync<JsonElement>("/api/v1/members");
        var id = members.EnumerateArray().Single(m => m.GetProperty("email").GetString() == email).GetProperty("id").GetString();
        (await owner.PatchAsJsonAsync($"/api/v1/members/{id}", new { role = "viewer" })).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.Forbidden, (await admin.GetAsync("/api/v1/api-keys")).StatusCode);
        (await owner.DeleteAsync($"/api/v1/members/{id}")).EnsureSuccessStatusCode();
        Assert.Equal(HttpStatusCode.Unauthorized, (await admin.GetAsync("/api/v1/workspace")).StatusCode);
    }

    [Fact]
    public async Task The_last_owner_cannot_be_removed_or_demoted_and_admins_cannot_create_owners()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Owners");
        using var key = server.CreateApiClient(ws.ApiKey);
        var members = await key.GetFromJsonAsync<JsonElement>("/api/v1/members");
        var ownerId = members.EnumerateArray().Single().GetProperty("id").GetString();

        var demote = await key.PatchAsJsonAsync($"/api/v1/members/{ownerId}", new { role = "admin" });
        Assert.Equal(HttpStatusCode.Forbidden, demote.StatusCode); // an API key acts as admin, below owner
        var (email, password) = await server.AddMemberAsync(ws.Id, Role.Admin);
        var admin = await server.SignInAsync(email, password);
        var promote = await admin.PostAsJsonAsync("/api/v1/members", new { email = "x@example.com", password = "long-enough-pw", role = "owner" });
        Assert.Equal(HttpStatusCode.Forbidden, promote.StatusCode);
        var owner = await server.SignInAsync(ws.OwnerEmail, ws.OwnerPassword);
        var selfDemote = await owner.PatchAsJsonAsync($"/api/v1/members/{ownerId}", new { role = "admin" });
        Assert.Equal(HttpStatusCode.Conflict, selfDemote.StatusCode);
        Assert.Equal("last_owner", (await selfDemote.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
