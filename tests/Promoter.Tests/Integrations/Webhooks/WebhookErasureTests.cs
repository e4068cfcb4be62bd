using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Distribution.Unsubscribes;
using Promoter.Integrations.Webhooks;
using Promoter.Loop;
using Promoter.Tests.Infrastructure;
using Promoter.Tests.Integrations.Delighted;

namespace Promoter.Tests.Integrations.Webhooks;

/// <summary>
/// Erasing a person (Delighted's <c>DELETE /v1/people/{key}</c>) removes what webhook storage kept about them: the
/// bodies already sent, the case and unsubscribe payloads, what a receiver echoed back. Nothing pending is sent
/// afterwards. Other people's deliveries are untouched.
/// </summary>
public sealed class WebhookErasureTests
{
    private const string Comment = "Billing charged me twice, call me on 0701234567";
    private const string Email = "erase.me@example.com";

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Erasing_a_person_removes_their_data_from_webhook_storage_and_sends_nothing_more(DatabaseProvider provider)
    {
        await using var h = await WebhookHarness.StartAsync(provider);
        // "flaky" fails and echoes the body back (stored as the attempt's response), so its deliveries stay pending.
        h.Receiver.Answer = (request, _) => request.Path == "/flaky" ? new ReceiverAnswer(500, request.Body) : ReceiverAnswer.Ok;
        string[] types = [WebhookEventTypes.ResponseCreated, WebhookEventTypes.ResponseUpdated, WebhookEventTypes.CaseCreated, WebhookEventTypes.ContactUnsubscribed];
        await h.CreateEndpointAsync(h.Receiver.Hook("hook"), types);
        var flaky = await h.CreateEndpointAsync(h.Receiver.Hook("flaky"), types);

        await h.RespondAsync(2, Comment, Email);
        var keep = await h.RespondAsync(3, "Someone else's complaint", "keep.me@example.com");
        await h.Server.Services.GetRequiredService<LoopProcessor>().ProcessDueAsync(CancellationToken.None); // detractors get cases
        await h.Server.InWorkspaceAsync(h.Workspace.Id, sp => sp.GetRequiredService<Unsubscriber>().UnsubscribeAsync(Email, "test", CancellationToken.None));
        await h.DispatchAsync();

        var before = await h.DeliveriesAsync();
        Assert.Contains(before, d => d.Event!.Type == WebhookEventTypes.CaseCreated);
        Assert.Contains(before, d => d.Event!.Type == WebhookEventTypes.ContactUnsubscribed);
        Assert.Contains(before, d => d.Body?.Contains(Comment, StringComparison.Ordinal) == true);
        Assert.Contains(await h.AttemptsAsync(), a => a.ResponseBody?.Contains(Comment, StringComparison.Ordinal) == true);
        var contactId = await h.QueryAsync(db => db.Contacts.Where(c => c.EmailKey == Email).Select(c => c.Id).SingleAsync());
        var sentBefore = h.Receiver.Requests.Count;
        var keepCase = await h.QueryAsync(db => db.Cases.Where(c => c.ResponseId == keep).Select(c => c.Id).SingleAsync());
        string[] kept = [keep.ToString(System.Globalization.CultureInfo.InvariantCulture), keepCase.ToString()];

        using var delighted = DelightedHttp.Client(h.Server, h.Workspace.ApiKey);
        Assert.Equal(202, (await DelightedHttp.SendAsync(delighted, HttpMethod.Delete, "/v1/people/" + Uri.EscapeDataString(Email))).Status);

        // Nothing about the person is left in events, deliveries or attempts, by comment, email or id.
        var stored = string.Join("\n", (await h.EventsAsync()).Select(e => e.Payload)
            .Concat((await h.DeliveriesAsync()).Select(d => d.Body))
            .Concat((await h.AttemptsAsync()).Select(a => a.ResponseBody)));
        Assert.DoesNotContain(Comment, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(contactId.ToString(), stored, StringComparison.OrdinalIgnoreCase);
        // The other person's data is still there.
        Assert.Contains("Someone else's complaint", stored, StringComparison.Ordinal);
        Assert.Contains(await h.DeliveriesAsync(), d => d.Event!.ResourceId == kept[0] && d.Body is not null);

        // The flaky endpoint's pending deliveries about the person end unsent on their next attempt; the other person's is retried.
        h.Clock.Advance(TimeSpan.FromDays(1));
        await h.DispatchAsync();
        var erased = (await h.DeliveriesAsync()).Where(d => d.EndpointId == flaky.Id && !kept.Contains(d.Event!.ResourceId)).ToList();
        Assert.NotEmpty(erased);
        Assert.All(erased, d => Assert.Equal((WebhookDeliveryStatus.Failed, 1), (d.Status, d.Attempts)));
        Assert.All(erased, d => Assert.Contains("erased", d.LastError, StringComparison.Ordinal));
        var sentAfter = h.Receiver.Requests.Skip(sentBefore).ToList();
        Assert.NotEmpty(sentAfter); // the other person's retries
        Assert.All(sentAfter, r => Assert.DoesNotContain(contactId.ToString(), r.Body, StringComparison.OrdinalIgnoreCase));
        Assert.All(sentAfter, r => Assert.DoesNotContain(Email, r.Body, StringComparison.Ordinal));
    }
}
