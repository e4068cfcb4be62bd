using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Integrations.Webhooks;
using Promoter.Platform.Email;
using Promoter.Tests.Collect;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Sending;

/// <summary>The trigger and unsubscribe write paths under hostile input, across workspaces, and the unsubscribe link's GET/POST rules.</summary>
public sealed class TriggerAndUnsubscribeApiTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Invitations_are_listed_newest_first_by_filter_and_cursor_and_bad_filters_name_their_field(DatabaseProvider provider)
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var h = await DistributionHarness.StartAsync(provider, relay.Settings());
        var survey = await h.CreateSurveyAsync();
        var other = await h.CreateSurveyAsync("Onboarding");
        var ids = new List<Guid>();
        foreach (var email in new[] { "a@example.org", "b@example.org", "c@example.org" })
        {
            ids.Add(await h.TriggerAsync(survey, email, delaySeconds: 3600));
        }

        var elsewhere = await h.TriggerAsync(other, "d@example.org", delaySeconds: 3600);

        var first = await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/invitations?surveyId={survey}&status=scheduled&limit=2");
        Assert.Equal([ids[2], ids[1]], first.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        var cursor = first.GetProperty("nextCursor").GetString();
        var second = await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/invitations?surveyId={survey}&status=scheduled&limit=2&cursor={cursor}");
        Assert.Equal([ids[0]], second.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetGuid()));
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        Assert.Equal(4, (await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/invitations")).GetProperty("items").GetArrayLength());
        Assert.Empty((await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/invitations?surveyId={survey}&status=sent")).GetProperty("items").EnumerateArray());
        var byContact = await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/invitations?contactId={(await h.InvitationAsync(elsewhere)).ContactId}");
        Assert.Equal(elsewhere, byContact.GetProperty("items")[0].GetProperty("id").GetGuid());

        var contactsCursor = Promoter.Platform.PageCursor.Write('c', ids[0]);
        foreach (var (query, field) in new[]
                 {
                     ("surveyId=abc", "surveyId"), ("contactId=1", "contactId"), ("sendId=%27%20OR%201=1--", "sendId"),
                     ("status=1", "status"), ("status=sent%00", "status"), ("status=archived", "status"),
                     ("limit=0", "limit"), ("limit=501", "limit"), ("cursor=%3Cscript%3E", "cursor"), ($"cursor={contactsCursor}", "cursor"),
                 })
        {
            using var refused = await h.Api.GetAsync($"/api/v1/invitations?{query}");
            Assert.Equal(400, (int)refused.StatusCode);
            var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{query}: {problem}");
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Hostile_triggers_get_a_field_error_and_write_nothing(DatabaseProvider provider)
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var h = await DistributionHarness.StartAsync(provider, relay.Settings());
        var survey = await h.CreateSurveyAsync();
        var fiftyOne = Enumerable.Range(0, 51).ToDictionary(i => $"p{i}", i => "v");
        var cases = new (object Body, string Field)[]
        {
            (new { contact = new { email = "robin@example.org\r\nBcc: thief@evil.test" } }, "contact.email"),
            (new { contact = new { email = "not-an-email" } }, "contact.email"),
            (new { contact = new { email = "robin@example.org, eve@example.org" } }, "contact.email"),
            (new { contact = new { email = "<script>alert(1)</script>@example.org" } }, "contact.email"),
            (new { contact = new { email = new string('a', 250) + "@example.org" } }, "contact.email"),
            (new { contact = new { email = "" } }, "contact.email"),
            (new { properties = new { order = "A-1" } }, "contact"),
            (new { contact = new { email = "robin@example.org" }, properties = fiftyOne }, "properties"),
            (new { contact = new { email = "robin@example.org", properties = fiftyOne } }, "contact.properties"),
            (new { contact = new { email = "robin@example.org" }, properties = new Dictionary<string, string> { ["bad key!"] = "x" } }, "properties.bad key!"),
            (new { contact = new { email = "robin@example.org" }, properties = new { order = new string('x', 300) } }, "properties.order"),
            (new { contact = new { email = "robin@example.org" }, delaySeconds = -1 }, "delaySeconds"),
            (new { contact = new { email = "robin@example.org" }, delaySeconds = 100L * 86400 }, "delaySeconds"),
            (new { contact = new { email = "robin@example.org", timeZone = "Mars/Olympus" } }, "contact.timeZone"),
        };
        foreach (var (body, field) in cases)
        {
            var (status, problem) = await h.TriggerRawAsync(survey, body);
            Assert.True(status == 400, $"{field}: {status} {problem}");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field}: {problem}");
            Assert.False(string.IsNullOrEmpty(problem.GetProperty("code").GetString()));
        }

        using (var unknownMember = await h.Api.PostAsync($"/api/v1/surveys/{survey}/invitations",
                   new StringContent("{\"contact\":{\"email\":\"robin@example.org\"},\"bcc\":\"x@evil.test\"}", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(400, (int)unknownMember.StatusCode);
        }

        // The contact's and the trigger's properties together are limited too; the contact is not half-updated.
        await h.TriggerAsync(survey, "full@example.org", properties: null);
        var (merged, mergedProblem) = await h.TriggerRawAsync(survey, new
        {
            contact = new { email = "full@example.org", properties = Enumerable.Range(0, 30).ToDictionary(i => $"c{i}", i => "v") },
            properties = Enumerable.Range(0, 30).ToDictionary(i => $"t{i}", i => "v"),
        });
        Assert.Equal(400, merged);
        Assert.True(mergedProblem.GetProperty("errors").TryGetProperty("properties", out _), mergedProblem.ToString());
        Assert.Equal("{}", await h.QueryAsync(db => db.Contacts.Where(c => c.EmailKey == "full@example.org").Select(c => c.Properties).SingleAsync()));

        // Unknown survey, and another workspace's survey: 404, nothing written there either.
        var other = await h.Server.CreateWorkspaceAsync("Other " + Guid.NewGuid().ToString("N")[..6]);
        using var otherApi = h.Server.CreateApiClient(other.ApiKey);
        var foreignSurvey = await RespondentKit.CreateSurveyAsync(otherApi);
        Assert.Equal(404, (await h.TriggerRawAsync(Guid.NewGuid(), new { contact = new { email = "robin@example.org" } })).Status);
        Assert.Equal(404, (await h.TriggerRawAsync(foreignSurvey, new { contact = new { email = "robin@example.org" } })).Status);

        Assert.Equal((1, 1, 1), await h.QueryAsync(async db => (await db.Contacts.CountAsync(), await db.Invitations.CountAsync(), await db.OutboundEmails.CountAsync())));
        Assert.Equal(0, await h.Server.InWorkspaceAsync(other.Id, sp => sp.GetRequiredService<PromoterDb>().Invitations.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task The_unsubscribes_api_is_idempotent_validates_the_address_and_stays_in_its_workspace(DatabaseProvider provider)
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var h = await DistributionHarness.StartAsync(provider, relay.Settings());

        using (var created = await h.Api.PostAsJsonAsync("/api/v1/unsubscribes", new { email = "Robin@Example.org" }))
        {
            Assert.Equal(201, (int)created.StatusCode);
            var body = await created.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("robin@example.org", "api"), (body.GetProperty("email").GetString(), body.GetProperty("source").GetString()));
        }

        using (var again = await h.Api.PostAsJsonAsync("/api/v1/unsubscribes", new { email = "robin@example.org" }))
        {
            Assert.Equal(200, (int)again.StatusCode);
        }

        foreach (var bad in new[] { "x\r\nBcc: thief@evil.test", "nobody", "" })
        {
            using var refused = await h.Api.PostAsJsonAsync("/api/v1/unsubscribes", new { email = bad });
            Assert.Equal(400, (int)refused.StatusCode);
            Assert.Contains("\"email\"", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var list = await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/unsubscribes");
        Assert.Equal(["robin@example.org"], list.GetProperty("data").EnumerateArray().Select(u => u.GetProperty("email").GetString()));
        Assert.Equal(1, await h.QueryAsync(db => db.WebhookEvents.CountAsync(e => e.Type == WebhookEventTypes.ContactUnsubscribed)));

        var other = await h.Server.CreateWorkspaceAsync("Other " + Guid.NewGuid().ToString("N")[..6]);
        using var otherApi = h.Server.CreateApiClient(other.ApiKey);
        Assert.Empty((await otherApi.GetFromJsonAsync<JsonElement>("/api/v1/unsubscribes")).GetProperty("data").EnumerateArray());
        var readOnly = await h.Server.CreateApiKeyAsync(h.Workspace.Id, [Promoter.Accounts.Scopes.ContactsRead]);
        using var reader = h.Server.CreateApiClient(readOnly);
        using (var forbidden = await reader.PostAsJsonAsync("/api/v1/unsubscribes", new { email = "kim@example.org" }))
        {
            Assert.Equal(403, (int)forbidden.StatusCode);
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task The_unsubscribe_link_only_asks_on_get_and_unsubscribes_once_on_post(DatabaseProvider provider)
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var h = await DistributionHarness.StartAsync(provider, relay.Settings());
        var survey = await h.CreateSurveyAsync();
        var id = await h.TriggerAsync(survey, "Robin@Example.org", locale: "sv");
        var url = $"/u/{(await h.InvitationAsync(id)).UnsubscribeToken}";
        using var browser = h.Server.CreateClient();

        // Scanners and header prefetchers GET (and HEAD) the link: that must change nothing.
        using (var head = new HttpRequestMessage(HttpMethod.Head, url))
        using (var headResponse = await browser.SendAsync(head))
        {
            Assert.Equal(200, (int)headResponse.StatusCode);
        }

        using (var page = await browser.GetAsync(url))
        {
            var html = await page.Content.ReadAsStringAsync();
            Assert.Equal(200, (int)page.StatusCode);
            Assert.Contains("<html lang=\"sv\"", html, StringComparison.Ordinal);
            Assert.Contains("<bdi>Robin@Example.org</bdi>", html, StringComparison.Ordinal);
            Assert.Contains("<form method=\"post\"", html, StringComparison.Ordinal);
            Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        }

        Assert.Empty(await h.QueryAsync(db => db.EmailSuppressions.ToListAsync()));

        // The mail provider's RFC 8058 POST and the person's button, in either order and as often as they like: one entry.
        for (var i = 0; i < 2; i++)
        {
            using var oneClick = await browser.PostAsync(url, new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));
            Assert.Equal(200, (int)oneClick.StatusCode);
        }

        var (status, done) = await RespondentKit.PostAsync(browser, url, ("List-Unsubscribe", "One-Click"), ("via", "page"));
        Assert.Equal(System.Net.HttpStatusCode.OK, status);
        Assert.Contains("role=\"status\"", done, StringComparison.Ordinal);
        var suppression = Assert.Single(await h.QueryAsync(db => db.EmailSuppressions.ToListAsync()));
        Assert.Equal(("robin@example.org", SuppressionReason.Unsubscribed, "one-click"), (suppression.EmailKey, suppression.Reason, suppression.Source));
        Assert.Equal(1, await h.QueryAsync(db => db.WebhookEvents.CountAsync(e => e.Type == WebhookEventTypes.ContactUnsubscribed)));

        using var unknown = await browser.GetAsync("/u/AAAAAAAAAAAAAAAAAAAAAA");
        Assert.Equal(404, (int)unknown.StatusCode);
        using var unknownPost = await browser.PostAsync("/u/AAAAAAAAAAAAAAAAAAAAAA", new StringContent("List-Unsubscribe=One-Click", System.Text.Encoding.ASCII, "application/x-www-form-urlencoded"));
        Assert.Equal(404, (int)unknownPost.StatusCode);
    }

    [Fact]
    public async Task Opening_and_clicking_the_personal_link_move_the_invitation_but_a_scanner_right_after_delivery_does_not()
    {
        await using var relay = await FaultSmtp.StartAsync();
        await using var h = await DistributionHarness.StartAsync(DatabaseProvider.Sqlite, relay.Settings());
        var survey = await h.CreateSurveyAsync();
        var id = await h.TriggerAsync(survey, "robin@example.org");
        await h.DispatchAsync();
        var url = $"/r/{(await h.InvitationAsync(id)).Token}";
        using var browser = h.Server.CreateClient();

        (await browser.GetAsync(url + "?score=10")).Dispose(); // a scanner, seconds after delivery
        Assert.Equal(InvitationStatus.Sent, (await h.InvitationAsync(id)).Status);

        h.Clock.Advance(TimeSpan.FromMinutes(30));
        (await browser.GetAsync(url)).Dispose();
        var opened = await h.InvitationAsync(id);
        Assert.Equal((InvitationStatus.Opened, h.Now, (DateTime?)null), (opened.Status, opened.OpenedAt, opened.ClickedAt));

        h.Clock.Advance(TimeSpan.FromMinutes(1));
        var (_, ticket) = await RespondentKit.OpenAsync(browser, url + "?score=8");
        var clicked = await h.InvitationAsync(id);
        Assert.Equal((InvitationStatus.Clicked, h.Now), (clicked.Status, clicked.ClickedAt));

        await RespondentKit.PostAsync(browser, url, ("t", ticket), ("score", "8"), ("comment", "ok"));
        Assert.Equal(InvitationStatus.Responded, (await h.InvitationAsync(id)).Status);
        (await browser.GetAsync(url)).Dispose();
        Assert.Equal(InvitationStatus.Responded, (await h.InvitationAsync(id)).Status);
        Assert.Equal(EmailStatus.Sent, (await h.EmailsForAsync(id)).Single(e => e.Kind == EmailKinds.Invitation).Status);
    }
}
