using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Collect.Respondent;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Tests.Collect;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Integrations.Webhooks;

/// <summary>Events are written in the transaction of the change that causes them, on every write path, exactly once.</summary>
public sealed class WebhookEventTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_response_sent_by_API_makes_one_response_created_delivered_to_each_subscribed_enabled_endpoint(DatabaseProvider provider)
    {
        await using var h = await WebhookHarness.StartAsync(provider);
        await h.RespondAsync(7);
        Assert.Empty(await h.EventsAsync()); // no endpoint, no webhook work

        var both = await h.CreateEndpointAsync(types: [WebhookEventTypes.ResponseCreated, WebhookEventTypes.ResponseUpdated]);
        await h.CreateEndpointAsync(types: [WebhookEventTypes.ResponseUpdated]);
        var off = await h.CreateEndpointAsync();
        (await h.Api.PatchAsJsonAsync($"/api/v1/webhooks/{off.Id}", new { enabled = false })).EnsureSuccessStatusCode();
        var other = await h.Server.CreateWorkspaceAsync("Elsewhere " + provider);
        using var otherApi = h.Server.CreateApiClient(other.ApiKey);
        (await otherApi.PostAsJsonAsync("/api/v1/webhooks", new { url = h.Receiver.Hook("other"), eventTypes = new[] { "response.created" } })).EnsureSuccessStatusCode();

        var id = await h.RespondAsync(9, "Great");

        var e = Assert.Single(await h.EventsAsync());
        Assert.Equal((WebhookEventTypes.ResponseCreated, "response", id.ToString(System.Globalization.CultureInfo.InvariantCulture), 1),
            (e.Type, e.ResourceType, e.ResourceId, e.Revision));
        Assert.Equal(h.Now, e.OccurredAt, TimeSpan.FromMilliseconds(1)); // PostgreSQL keeps microseconds
        var delivery = Assert.Single(await h.DeliveriesAsync());
        Assert.Equal((both.Id, e.Id, WebhookDeliveryStatus.Pending), (delivery.EndpointId, delivery.EventId, delivery.Status));
        Assert.Equal(e.OccurredAt, delivery.NextAttemptAt); // due at once
        var otherEvents = await h.Server.InWorkspaceAsync(other.Id, sp => sp.GetRequiredService<PromoterDb>().WebhookEvents.CountAsync());
        Assert.Equal(0, otherEvents);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task The_respondent_page_makes_one_response_created_for_the_score_and_one_response_updated_for_the_why(DatabaseProvider provider)
    {
        await using var h = await WebhookHarness.StartAsync(provider);
        await h.CreateEndpointAsync();
        using var browser = h.Server.CreateClient();
        var url = $"/s/{h.Survey}";
        var (_, ticket) = await RespondentKit.OpenAsync(browser, url);
        h.Clock.Advance(TimeSpan.FromSeconds(3));

        var (status, _) = await RespondentKit.PostAsync(browser, url, ("t", ticket), ("score", "4"), ("step", "score"), ("website", ""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([WebhookEventTypes.ResponseCreated], (await h.EventsAsync()).Select(e => e.Type));

        (string, string)[] submit = [("t", ticket), ("score", "4"), ("step", "submit"), ("comment", "Too slow"), ("q.ease", "2")];
        (status, _) = await RespondentKit.PostAsync(browser, url, submit);
        Assert.Equal(HttpStatusCode.OK, status);
        (status, _) = await RespondentKit.PostAsync(browser, url, submit); // a double click changes nothing
        Assert.Equal(HttpStatusCode.OK, status);

        var events = await h.EventsAsync();
        Assert.Equal([WebhookEventTypes.ResponseCreated, WebhookEventTypes.ResponseUpdated], events.Select(e => e.Type));
        Assert.Single(events.Select(e => e.ResourceId).Distinct());
        Assert.Equal(2, (await h.DeliveriesAsync()).Count);
    }

    [Fact]
    public async Task A_provisional_score_is_no_event_until_it_turns_final_and_then_it_is_response_created()
    {
        await using var h = await WebhookHarness.StartAsync();
        await h.CreateEndpointAsync();
        var invitation = await RespondentKit.CreateInvitationAsync(h.Server, h.Workspace.Id, h.Survey, h.Now.AddHours(-1));
        using var browser = h.Server.CreateClient();
        var url = $"/r/{invitation.Token}";
        var (_, ticket) = await RespondentKit.OpenAsync(browser, $"{url}?score=9");
        Assert.Equal(HttpStatusCode.OK, (await browser.PostAsJsonAsync($"{url}/provisional", new { score = 9, nonce = ticket })).StatusCode);
        Assert.Equal(ResponseStatus.Provisional, Assert.Single(await RespondentKit.ResponsesAsync(h.Server, h.Workspace.Id)).Status);
        Assert.Empty(await h.EventsAsync());

        h.Clock.Advance(ResponseFinalizer.After + TimeSpan.FromMinutes(1));
        await using (var scope = h.Server.Services.CreateAsyncScope())
        {
            await scope.ServiceProvider.GetRequiredService<ResponseFinalizer>().FinalizeDueAsync(CancellationToken.None);
        }

        Assert.Equal(ResponseStatus.Final, Assert.Single(await RespondentKit.ResponsesAsync(h.Server, h.Workspace.Id)).Status);
        Assert.Equal([WebhookEventTypes.ResponseCreated], (await h.EventsAsync()).Select(e => e.Type));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_rolled_back_transaction_leaves_no_event_and_a_committed_one_leaves_its_event_and_deliveries(DatabaseProvider provider)
    {
        await using var h = await WebhookHarness.StartAsync(provider);
        await h.CreateEndpointAsync(types: [WebhookEventTypes.ResponseCreated, WebhookEventTypes.ResponseUpdated, WebhookEventTypes.ContactUnsubscribed]);
        var existing = await h.RespondAsync(6);
        var before = (await h.EventsAsync()).Count;

        var seenInside = await h.Server.InWorkspaceAsync(h.Workspace.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            await using var tx = await db.Database.BeginTransactionAsync();
            db.Responses.Add(new SurveyResponse
            {
                SurveyId = h.Survey, Score = 10, Language = "en", Channel = Channels.Api, Status = ResponseStatus.Final,
                RespondedAt = h.Now, CreatedAt = h.Now, UpdatedAt = h.Now,
            });
            sp.GetRequiredService<WebhookEvents>().Add(WebhookEventTypes.ContactUnsubscribed, Guid.NewGuid().ToString(), new { email = "gone@example.com" });
            await db.SaveChangesAsync();
            await db.Responses.Where(r => r.Id == existing).ExecuteUpdateAsync(s => s.SetProperty(r => r.Score, (short)0).SetProperty(r => r.UpdatedAt, h.Now));
            var inside = (await db.WebhookEvents.CountAsync(), await db.WebhookDeliveries.CountAsync());
            await tx.RollbackAsync();
            return inside;
        });

        Assert.Equal((before + 3, before + 3), seenInside);
        Assert.Equal(before, (await h.EventsAsync()).Count);
        Assert.Equal(before, (await h.DeliveriesAsync()).Count);
        Assert.Equal(6, (await RespondentKit.ResponsesAsync(h.Server, h.Workspace.Id)).Single().Score);

        var contactId = Guid.NewGuid().ToString();
        await h.Server.InWorkspaceAsync(h.Workspace.Id, async sp =>
        {
            sp.GetRequiredService<WebhookEvents>().Add(WebhookEventTypes.ContactUnsubscribed, contactId, new { email = "gone@example.com", reason = "one-click" });
            return await sp.GetRequiredService<PromoterDb>().SaveChangesAsync();
        });
        var unsubscribed = (await h.EventsAsync()).Single(e => e.Type == WebhookEventTypes.ContactUnsubscribed);
        Assert.Equal(("contact", contactId), (unsubscribed.ResourceType, unsubscribed.ResourceId));
        Assert.Single(await h.DeliveriesAsync(), d => d.EventId == unsubscribed.Id);

        await h.DispatchAsync();
        var body = JsonDocument.Parse(h.Receiver.Requests.Single(r => r.Body.Contains("contact.unsubscribed", StringComparison.Ordinal)).Body).RootElement;
        Assert.Equal(unsubscribed.Id, body.GetProperty("version").GetInt64());
        Assert.Equal("{\"email\":\"gone@example.com\",\"reason\":\"one-click\"}", body.GetProperty("data").GetRawText());
    }

    [Fact]
    public void Features_cannot_add_response_events_or_unknown_types_by_hand()
    {
        var events = new WebhookEvents(null!, TimeProvider.System);
        Assert.Throws<ArgumentException>(() => events.Add(WebhookEventTypes.ResponseCreated, "1", new { }));
        Assert.Throws<ArgumentException>(() => events.Add("survey.deleted", "1", new { }));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Payloads_show_the_response_as_first_sent_with_a_version_that_grows_with_each_change(DatabaseProvider provider)
    {
        await using var h = await WebhookHarness.StartAsync(provider);
        await h.CreateEndpointAsync();
        var id = await h.RespondAsync(5);
        // An edit before the first attempt: both payloads show the edited response and the same, latest version.
        await h.QueryAsync(db => db.Responses.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Comment, "Added later").SetProperty(r => r.UpdatedAt, h.Now)));
        await h.DispatchAsync();

        var first = h.Receiver.Requests.Select(r => JsonDocument.Parse(r.Body).RootElement).ToList();
        Assert.Equal(["response.created", "response.updated"], first.Select(b => b.GetProperty("type").GetString()).Order(StringComparer.Ordinal));
        Assert.All(first, b => Assert.Equal("Added later", b.GetProperty("data").GetProperty("comment").GetString()));
        var version = Assert.Single(first.Select(b => b.GetProperty("version").GetInt64()).Distinct());
        Assert.Equal((await h.EventsAsync()).Max(e => e.Id), version);

        await h.QueryAsync(db => db.Responses.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Score, (short)9).SetProperty(r => r.UpdatedAt, h.Now)));
        await h.DispatchAsync();
        var latest = JsonDocument.Parse(h.Receiver.Requests[^1].Body).RootElement;
        Assert.True(latest.GetProperty("version").GetInt64() > version);
        Assert.Equal(9, latest.GetProperty("data").GetProperty("score").GetInt32());
    }
}
