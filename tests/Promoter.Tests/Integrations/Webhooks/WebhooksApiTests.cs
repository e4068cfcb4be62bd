using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Integrations.Webhooks;

namespace Promoter.Tests.Integrations.Webhooks;

/// <summary><c>/api/v1/webhooks</c>: the endpoint life cycle, hostile input, the cap, read-only views, the delivery log and replay.</summary>
public sealed class WebhooksApiTests
{
    private const string PublicUrl = "https://93.184.215.14/services/T000/B000/XXXX?token=abc";

    [Fact]
    public async Task An_endpoint_is_created_read_changed_disabled_enabled_and_deleted_with_its_deliveries()
    {
        await using var h = await WebhookHarness.StartAsync();
        using var created = await h.Api.PostAsJsonAsync("/api/v1/webhooks", new
        {
            url = PublicUrl,
            description = "CRM \u202Esync",
            eventTypes = new[] { "case.updated", "response.created", "response.created" },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal($"/api/v1/webhooks/{id}", created.Headers.Location?.ToString());
        Assert.StartsWith("whsec_", body.GetProperty("secret").GetString(), StringComparison.Ordinal);
        Assert.Equal(PublicUrl, body.GetProperty("url").GetString());
        Assert.Equal("CRM sync", body.GetProperty("description").GetString()); // the bidi override is stripped
        Assert.Equal(["response.created", "case.updated"], body.GetProperty("eventTypes").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(("standard", true), (body.GetProperty("format").GetString(), body.GetProperty("enabled").GetBoolean()));

        var read = await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{id}");
        Assert.False(read.TryGetProperty("secret", out _));
        Assert.Single((await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/webhooks")).EnumerateArray());

        var changed = await (await h.Api.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { description = "", format = "delighted", eventTypes = new[] { "response.updated" } }))
            .Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(JsonValueKind.Null, changed.GetProperty("description").ValueKind);
        Assert.Equal(("delighted", "response.updated"), (changed.GetProperty("format").GetString(), changed.GetProperty("eventTypes")[0].GetString()));
        Assert.Equal(PublicUrl, changed.GetProperty("url").GetString());

        var off = await (await h.Api.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { enabled = false })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((false, "manual"), (off.GetProperty("enabled").GetBoolean(), off.GetProperty("disabledReason").GetString()));
        var on = await (await h.Api.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { enabled = true })).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((true, JsonValueKind.Null), (on.GetProperty("enabled").GetBoolean(), on.GetProperty("disabledReason").ValueKind));

        var responseId = await h.RespondAsync(3);
        await h.QueryAsync(db => db.Responses.Where(r => r.Id == responseId).ExecuteUpdateAsync(s => s.SetProperty(r => r.Comment, "edited")));
        Assert.Single(await h.DeliveriesAsync());
        Assert.Equal(HttpStatusCode.NoContent, (await h.Api.DeleteAsync($"/api/v1/webhooks/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await h.Api.GetAsync($"/api/v1/webhooks/{id}")).StatusCode);
        Assert.Empty(await h.DeliveriesAsync());

        var actions = (await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/audit")).EnumerateArray().Select(a => a.GetProperty("action").GetString()).ToList();
        Assert.Contains("webhook.created", actions);
        Assert.Contains("webhook.updated", actions);
        Assert.Contains("webhook.deleted", actions);
        // The audit log names the host, not the URL's credentials.
        Assert.DoesNotContain("token=abc", await h.Api.GetStringAsync("/api/v1/audit"), StringComparison.Ordinal);
    }

    public static TheoryData<string, string> HostileCreates() => new()
    {
        { "{}", "url" },
        { "{}", "eventTypes" },
        { """{"url":"javascript:alert(1)","eventTypes":["response.created"]}""", "url" },
        { """{"url":"file:///etc/passwd","eventTypes":["response.created"]}""", "url" },
        { """{"url":"not a url","eventTypes":["response.created"]}""", "url" },
        { """{"url":"https://93.184.215.14/a b","eventTypes":["response.created"]}""", "url" },
        { """{"url":"https://93.184.215.14/\r\nX-Evil: 1","eventTypes":["response.created"]}""", "url" },
        { """{"url":"https://93.184.215.14/#top","eventTypes":["response.created"]}""", "url" },
        { """{"url":"https://93.184.215.14:22/","eventTypes":["response.created"]}""", "url" },
        { "{\"url\":\"https://93.184.215.14/" + new string('a', 3000) + "\",\"eventTypes\":[\"response.created\"]}", "url" },
        { """{"url":42,"eventTypes":["response.created"]}""", "url" },
        { """{"url":"https://93.184.215.14/","eventTypes":[]}""", "eventTypes" },
        { """{"url":"https://93.184.215.14/","eventTypes":"response.created"}""", "eventTypes" },
        { """{"url":"https://93.184.215.14/","eventTypes":["response.deleted"]}""", "eventTypes[0]" },
        { """{"url":"https://93.184.215.14/","eventTypes":["response.created",null]}""", "eventTypes[1]" },
        { """{"url":"https://93.184.215.14/","eventTypes":["response.created",7]}""", "eventTypes[1]" },
        { """{"url":"https://93.184.215.14/","eventTypes":["*"]}""", "eventTypes[0]" },
        { """{"url":"https://93.184.215.14/","eventTypes":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t"]}""", "eventTypes" },
        { """{"url":"https://93.184.215.14/","eventTypes":["response.created"],"format":"xml"}""", "format" },
        { """{"url":"https://93.184.215.14/","eventTypes":["response.created","case.created"],"format":"delighted"}""", "eventTypes[1]" },
        { "{\"url\":\"https://93.184.215.14/\",\"eventTypes\":[\"response.created\"],\"description\":\"" + new string('d', 501) + "\"}", "description" },
        { """{"url":"https://93.184.215.14/","eventTypes":["response.created"],"enabled":"yes"}""", "enabled" },
        { """{"url":"https://93.184.215.14/","eventTypes":["response.created"],"secret":"whsec_AAAA"}""", "secret" },
        { "not json", "body" },
    };

    [Theory]
    [MemberData(nameof(HostileCreates))]
    public async Task Hostile_creates_are_400s_naming_the_field_and_store_nothing(string json, string field)
    {
        await using var h = await WebhookHarness.StartAsync();
        using var response = await h.Api.PostAsync("/api/v1/webhooks", new StringContent(json, Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("validation_failed", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), problem.ToString());
        Assert.Equal(0, await h.QueryAsync(db => db.WebhookEndpoints.CountAsync()));
    }

    [Fact]
    public async Task Hostile_changes_and_queries_are_refused_by_field_and_change_nothing()
    {
        await using var h = await WebhookHarness.StartAsync();
        var endpoint = await h.CreateEndpointAsync(types: ["response.created", "contact.unsubscribed"]);
        var before = await h.Api.GetStringAsync($"/api/v1/webhooks/{endpoint.Id}");
        (string Body, string Field)[] patches =
        [
            ("""{"url":"http://127.0.0.1/"}""", "url"),
            ("""{"url":""}""", "url"),
            ("""{"eventTypes":[]}""", "eventTypes"),
            ("""{"eventTypes":["response.created","bogus"]}""", "eventTypes[1]"),
            ("""{"format":"delighted"}""", "eventTypes[1]"), // contact.unsubscribed has no Delighted form
            ("""{"format":"Standard"}""", "format"),
            ("""{"enabled":null,"id":"x"}""", "id"),
        ];
        foreach (var (body, field) in patches)
        {
            using var response = await h.Api.PatchAsync($"/api/v1/webhooks/{endpoint.Id}", new StringContent(body, Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), body);
        }

        Assert.Equal(before, await h.Api.GetStringAsync($"/api/v1/webhooks/{endpoint.Id}"));
        foreach (var (query, field) in new[] { ("status=lost", "status"), ("limit=0", "limit"), ("limit=1000", "limit"), ("before=abc", "before") })
        {
            using var response = await h.Api.GetAsync($"/api/v1/webhooks/{endpoint.Id}/deliveries?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.True((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty(field, out _), query);
        }

        Assert.Equal(HttpStatusCode.NotFound, (await h.Api.PostAsync($"/api/v1/webhooks/{endpoint.Id}/deliveries/424242/replay", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await h.Api.PatchAsJsonAsync($"/api/v1/webhooks/{Guid.NewGuid()}", new { enabled = false })).StatusCode);
    }

    [Fact]
    public async Task A_workspace_holds_at_most_500_endpoints()
    {
        await using var h = await WebhookHarness.StartAsync();
        var secrets = h.Server.Services.GetRequiredService<WebhookSecrets>();
        var protectedSecret = secrets.Protect(WebhookSignature.NewSecret());
        await h.QueryAsync(async db =>
        {
            db.WebhookEndpoints.AddRange(Enumerable.Range(0, 499).Select(i => new WebhookEndpoint
            {
                Id = Guid.CreateVersion7(), Url = $"https://93.184.215.14/hook/{i}", EventTypes = ["response.created"],
                Secret = protectedSecret, CreatedAt = h.Now, UpdatedAt = h.Now,
            }));
            return await db.SaveChangesAsync();
        });

        Assert.Equal(HttpStatusCode.Created, (await h.Api.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://93.184.215.14/500", eventTypes = new[] { "response.created" } })).StatusCode);
        using var refused = await h.Api.PostAsJsonAsync("/api/v1/webhooks", new { url = "https://93.184.215.14/501", eventTypes = new[] { "response.created" } });

        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("webhook_limit_reached", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(500, await h.QueryAsync(db => db.WebhookEndpoints.CountAsync()));
    }

    [Fact]
    public async Task Viewers_and_read_only_keys_see_where_an_endpoint_points_but_not_its_full_url_and_cannot_change_it()
    {
        await using var h = await WebhookHarness.StartAsync();
        using var created = await h.Api.PostAsJsonAsync("/api/v1/webhooks", new { url = PublicUrl, eventTypes = new[] { "response.created" } });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        var (email, password) = await h.Server.AddMemberAsync(h.Workspace.Id, Role.Viewer);
        using var viewer = await h.Server.SignInAsync(email, password);
        using var readOnly = h.Server.CreateApiClient(await h.Server.CreateApiKeyAsync(h.Workspace.Id, [Scopes.WebhooksRead]));

        foreach (var client in new[] { viewer, readOnly })
        {
            var listed = await client.GetStringAsync("/api/v1/webhooks");
            Assert.Contains("\"url\":\"https://93.184.215.14/…\"", listed, StringComparison.Ordinal);
            Assert.DoesNotContain("XXXX", listed, StringComparison.Ordinal);
            Assert.DoesNotContain("token", await client.GetStringAsync($"/api/v1/webhooks/{id}"), StringComparison.Ordinal);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PatchAsJsonAsync($"/api/v1/webhooks/{id}", new { enabled = false })).StatusCode);
            Assert.Equal(HttpStatusCode.Forbidden, (await client.PostAsync($"/api/v1/webhooks/{id}/rotate-secret", null)).StatusCode);
        }

        Assert.Contains("token=abc", await h.Api.GetStringAsync("/api/v1/webhooks"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_delivery_log_pages_filters_and_shows_attempts_and_a_replay_resends_the_same_id_and_bytes()
    {
        await using var h = await WebhookHarness.StartAsync();
        h.Receiver.Answer = (_, index) => index == 0 ? new ReceiverAnswer(500, "{\"error\":\"busy\"}") : ReceiverAnswer.Ok;
        var endpoint = await h.CreateEndpointAsync();
        await h.RespondAsync(2);
        await h.RespondAsync(6);
        await h.RespondAsync(10);
        await h.DispatchAsync();
        h.Clock.Advance(TimeSpan.FromSeconds(7));
        await h.DispatchAsync();

        var page = await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{endpoint.Id}/deliveries?limit=2");
        var ids = page.GetProperty("data").EnumerateArray().Select(d => d.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(2, ids.Count);
        Assert.True(ids[0] > ids[1]);
        var rest = await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{endpoint.Id}/deliveries?before={page.GetProperty("nextBefore").GetInt64()}");
        Assert.Single(rest.GetProperty("data").EnumerateArray());
        Assert.Equal(JsonValueKind.Null, rest.GetProperty("nextBefore").ValueKind);
        Assert.Empty((await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{endpoint.Id}/deliveries?status=failed")).GetProperty("data").EnumerateArray());

        var retried = (await h.DeliveriesAsync()).Single(d => d.Attempts == 2);
        var detail = await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{endpoint.Id}/deliveries/{retried.Id}");
        var attempts = detail.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([500, 200], attempts.Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal("{\"error\":\"busy\"}", attempts[0].GetProperty("responseBody").GetString());
        Assert.Equal("succeeded", detail.GetProperty("delivery").GetProperty("status").GetString());
        Assert.Equal(retried.Body, detail.GetProperty("body").GetString());

        using var replayed = await h.Api.PostAsync($"/api/v1/webhooks/{endpoint.Id}/deliveries/{retried.Id}/replay", null);
        Assert.Equal(HttpStatusCode.Accepted, replayed.StatusCode);
        var replay = await replayed.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((retried.Id, "pending"), (replay.GetProperty("replayOf").GetInt64(), replay.GetProperty("status").GetString()));
        await h.DispatchAsync();
        var copies = h.Receiver.Requests.Where(r => r.Id == retried.Event!.MessageId).ToList();
        Assert.Equal(3, copies.Count); // the failed attempt, the retry, the replay
        Assert.Single(copies.Select(c => c.Body).Distinct());

        (await h.Api.PatchAsJsonAsync($"/api/v1/webhooks/{endpoint.Id}", new { enabled = false })).EnsureSuccessStatusCode();
        using var refused = await h.Api.PostAsync($"/api/v1/webhooks/{endpoint.Id}/deliveries/{retried.Id}/replay", null);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Equal("webhook_disabled", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
