using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Contacts;

/// <summary><c>/api/v1/contacts</c> on both providers: life cycle, filters and paging, conflicts, hostile input, scopes, tenancy.</summary>
public sealed class ContactsApiTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_contact_is_created_upserted_read_replaced_and_deleted(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var ws = await server.CreateWorkspaceAsync("Acme");
        using var api = server.CreateApiClient(ws.ApiKey);

        using var created = await api.PostAsJsonAsync("/api/v1/contacts", new
        {
            email = "Ana@Example.com", phone = "+46 70 123 45 67", name = "Ana <script>alert(1)</script>", locale = "sv-se", timeZone = "Europe/Stockholm",
            properties = new { plan = "gold", region = "north" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/contacts/{id}", created.Headers.Location?.ToString());
        Assert.Equal(("+46701234567", "sv-SE", "Ana <script>alert(1)</script>"),
            (body.GetProperty("phone").GetString(), body.GetProperty("locale").GetString(), body.GetProperty("name").GetString()));

        // The same email in another case is the same person: 200, merged.
        using var upserted = await api.PostAsJsonAsync("/api/v1/contacts", new { email = "ana@EXAMPLE.com", properties = new Dictionary<string, string?> { ["plan"] = "platinum", ["region"] = null } });
        Assert.Equal(HttpStatusCode.OK, upserted.StatusCode);
        var merged = await upserted.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(id, merged.GetProperty("id").GetGuid());
        Assert.Equal("""{"plan":"platinum"}""", merged.GetProperty("properties").GetRawText());
        Assert.Equal("Europe/Stockholm", merged.GetProperty("timeZone").GetString());

        var read = await api.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{id}");
        Assert.Equal(merged.GetProperty("updatedAt").GetDateTime(), read.GetProperty("updatedAt").GetDateTime());

        var replaced = await (await api.PutAsJsonAsync($"/api/v1/contacts/{id}", new { email = "ana.new@example.com", name = "Ana" })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("ana.new@example.com", JsonValueKind.Null, "{}"),
            (replaced.GetProperty("email").GetString(), replaced.GetProperty("phone").ValueKind, replaced.GetProperty("properties").GetRawText()));

        Assert.Equal(HttpStatusCode.NoContent, (await api.DeleteAsync($"/api/v1/contacts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.GetAsync($"/api/v1/contacts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.DeleteAsync($"/api/v1/contacts/{id}")).StatusCode);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Taken_emails_and_phones_are_409_naming_the_field(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var ws = await server.CreateWorkspaceAsync("Acme");
        using var api = server.CreateApiClient(ws.ApiKey);
        await api.PostAsJsonAsync("/api/v1/contacts", new { email = "a@example.com", phone = "+4611111111" });
        var b = (await (await api.PostAsJsonAsync("/api/v1/contacts", new { email = "b@example.com" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await AssertConflictAsync(await api.PostAsJsonAsync("/api/v1/contacts", new { email = "b@example.com", phone = "+46 11 111 111" }), "phone", "contact_phone_taken");
        await AssertConflictAsync(await api.PutAsJsonAsync($"/api/v1/contacts/{b}", new { email = "A@example.com" }), "email", "contact_email_taken");
        await AssertConflictAsync(await api.PutAsJsonAsync($"/api/v1/contacts/{b}", new { email = "b@example.com", phone = "+4611111111" }), "phone", "contact_phone_taken");
        var after = await api.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{b}");
        Assert.Equal(JsonValueKind.Null, after.GetProperty("phone").ValueKind); // nothing half-written

        static async Task AssertConflictAsync(HttpResponseMessage response, string field, string code)
        {
            Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        }
    }

    public static TheoryData<string, string> HostileBodies() => new()
    {
        { """{"email":"ana@example.com\r\nBcc: all@example.com"}""", "email" },
        { """{"email":"ana@example.com","name":"Ana\r\nBcc: all@example.com"}""", "name" },
        { """{"email":"no-at-sign"}""", "email" },
        { """{"email":"ana@example.com","phone":"call me"}""", "phone" },
        { """{"name":"nobody"}""", "email" },
        { """{"email":"ana@example.com","locale":"<script>"}""", "locale" },
        { """{"email":"ana@example.com","timeZone":"Nowhere/Never"}""", "timeZone" },
        { """{"email":"ana@example.com","properties":{"a b":"x"}}""", "properties" },
        { """{"email":"ana@example.com","properties":{"plan":7}}""", "properties.plan" },
        { """{"email":"ana@example.com","surprise":true}""", "surprise" },
        { """{"email":42}""", "email" },
        { "{\"email\":\"ana@example.com\",\"name\":\"" + new string('x', 300) + "\"}", "name" },
        { "{\"email\":\"ana@example.com\",\"properties\":{" + string.Join(',', Enumerable.Range(0, 51).Select(i => $"\"p{i}\":\"v\"")) + "}}", "properties" },
        { "not json", "body" },
    };

    [Theory]
    [MemberData(nameof(HostileBodies))]
    public async Task Hostile_bodies_are_400_naming_the_field_and_store_nothing(string json, string field)
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Acme");
        using var api = server.CreateApiClient(ws.ApiKey);
        using var response = await api.PostAsync("/api/v1/contacts", new StringContent(json, Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.GetRawText());
        Assert.Empty((await api.GetFromJsonAsync<JsonElement>("/api/v1/contacts")).GetProperty("items").EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task The_list_filters_and_pages_with_an_opaque_cursor(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var ws = await server.CreateWorkspaceAsync("Acme");
        using var api = server.CreateApiClient(ws.ApiKey);
        string[] plans = ["gold", "silver", "gold", "gold2", "bronze", "gold"];
        for (var i = 0; i < plans.Length; i++)
        {
            var post = await api.PostAsJsonAsync("/api/v1/contacts", new
            {
                email = $"person{i}@example.com", name = i == 1 ? "Åsa Öberg" : $"Person {i}", locale = i % 2 == 0 ? "sv-SE" : "ar",
                properties = new Dictionary<string, string> { ["plan"] = plans[i], ["note"] = "\"plan\":\"gold\"" },
            });
            post.EnsureSuccessStatusCode();
        }

        Assert.Equal(new[] { 0, 2, 5 }, await EmailsAsync("?property=plan:gold"));
        Assert.Equal(new[] { 3 }, await EmailsAsync("?property=plan:gold2"));
        Assert.Equal(new[] { 0, 2, 4 }, await EmailsAsync("?locale=sv"));
        Assert.Equal(new[] { 1, 3, 5 }, await EmailsAsync("?locale=AR"));
        Assert.Equal(new[] { 1 }, await EmailsAsync("?name=%C3%85sa"));
        Assert.Equal(new[] { 4 }, await EmailsAsync("?email=PERSON4"));
        Assert.Equal(new[] { 0, 2 }, await EmailsAsync("?locale=sv&property=plan:gold&name=person"));
        Assert.Equal(new[] { 0, 1, 2, 3, 4, 5 }, await EmailsAsync("?createdFrom=2000-01-01&createdTo=2999-12-31"));
        Assert.Empty(await EmailsAsync("?createdTo=2000-01-01"));

        var seen = new List<string>();
        string? cursor = null;
        var pages = 0;
        do
        {
            var page = await api.GetFromJsonAsync<JsonElement>("/api/v1/contacts?limit=4" + (cursor is null ? "" : "&cursor=" + Uri.EscapeDataString(cursor)));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("email").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
            pages++;
        }
        while (cursor is not null);
        Assert.Equal(2, pages);
        Assert.Equal(Enumerable.Range(0, 6).Reverse().Select(i => $"person{i}@example.com"), seen); // newest first, none twice

        foreach (var bad in new[] { "?cursor=nonsense", "?limit=0", "?limit=501", "?createdFrom=yesterday", "?property=bad%20key:x", "?createdFrom=2026-02-01&createdTo=2026-01-01" })
        {
            using var refused = await api.GetAsync("/api/v1/contacts" + bad);
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        }

        async Task<int[]> EmailsAsync(string query) =>
            (await api.GetFromJsonAsync<JsonElement>("/api/v1/contacts" + query)).GetProperty("items").EnumerateArray()
                .Select(c => int.Parse(c.GetProperty("email").GetString()!["person".Length..^"@example.com".Length], System.Globalization.CultureInfo.InvariantCulture))
                .Order().ToArray();
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Another_workspace_can_neither_see_nor_change_a_contact(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var a = await server.CreateWorkspaceAsync("A");
        var b = await server.CreateWorkspaceAsync("B");
        using var apiA = server.CreateApiClient(a.ApiKey);
        using var apiB = server.CreateApiClient(b.ApiKey);
        var id = (await (await apiA.PostAsJsonAsync("/api/v1/contacts", new { email = "shared@example.com", name = "A's" })).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        Assert.Equal(HttpStatusCode.NotFound, (await apiB.GetAsync($"/api/v1/contacts/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await apiB.PutAsJsonAsync($"/api/v1/contacts/{id}", new { email = "stolen@example.com" })).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await apiB.DeleteAsync($"/api/v1/contacts/{id}")).StatusCode);
        Assert.Empty((await apiB.GetFromJsonAsync<JsonElement>("/api/v1/contacts")).GetProperty("items").EnumerateArray());
        // The same email in B creates B's own contact rather than touching A's.
        using var own = await apiB.PostAsJsonAsync("/api/v1/contacts", new { email = "shared@example.com", name = "B's" });
        Assert.Equal(HttpStatusCode.Created, own.StatusCode);
        Assert.Equal("A's", (await apiA.GetFromJsonAsync<JsonElement>($"/api/v1/contacts/{id}")).GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_read_only_key_lists_but_cannot_write()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Acme");
        using var reader = server.CreateApiClient(await server.CreateApiKeyAsync(ws.Id, [Scopes.ContactsRead]));
        using var outsider = server.CreateApiClient(await server.CreateApiKeyAsync(ws.Id, [Scopes.SurveysRead]));
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/contacts")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await reader.PostAsJsonAsync("/api/v1/contacts", new { email = "a@example.com" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.GetAsync("/api/v1/contacts")).StatusCode);
    }
}
