using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Integrations.Webhooks;

/// <summary>At-least-once delivery on the fake clock: the retry schedule, outages, 410, Retry-After, timeouts, auto-disable.</summary>
public sealed class WebhookDeliveryTests
{
    private static readonly ReceiverAnswer ServerError = new(500, "boom");

    [Fact]
    public async Task A_failing_receiver_is_retried_on_the_schedule_with_jitter_for_about_three_days_with_the_same_id_and_bytes()
    {
        await using var h = await WebhookHarness.StartAsync();
        h.Receiver.Answer = (_, _) => ServerError;
        var endpoint = await h.CreateEndpointAsync();
        var started = h.Now;
        await h.RespondAsync(4, "Slow");
        Assert.Equal(1, await h.DispatchAsync());

        for (var attempt = 1; attempt < RetrySchedule.MaxAttempts; attempt++)
        {
            var delivery = Assert.Single(await h.DeliveriesAsync());
            Assert.Equal((WebhookDeliveryStatus.Pending, attempt), (delivery.Status, delivery.Attempts));
            var wait = delivery.NextAttemptAt - delivery.LastAttemptAt!.Value;
            var nominal = RetrySchedule.Delays[attempt - 1];
            Assert.InRange(wait, nominal * 0.8, nominal * 1.2);

            // Not a moment early…
            h.Clock.Advance(wait - TimeSpan.FromSeconds(1));
            Assert.Equal(0, await h.DispatchAsync());
            // …and on time.
            h.Clock.Advance(TimeSpan.FromSeconds(1));
            Assert.Equal(1, await h.DispatchAsync());
        }

        var final = Assert.Single(await h.DeliveriesAsync());
        Assert.Equal((WebhookDeliveryStatus.Failed, RetrySchedule.MaxAttempts), (final.Status, final.Attempts));
        var span = final.LastAttemptAt!.Value - started;
        var nominalSpan = RetrySchedule.Delays.Aggregate(TimeSpan.Zero, (a, b) => a + b);
        Assert.InRange(span, nominalSpan * 0.8, nominalSpan * 1.2);
        Assert.InRange(span, TimeSpan.FromDays(2), TimeSpan.FromDays(3.5));

        var requests = h.Receiver.Requests;
        Assert.Equal(RetrySchedule.MaxAttempts, requests.Count);
        Assert.Single(requests.Select(r => r.Id).Distinct());
        Assert.Single(requests.Select(r => r.Body).Distinct()); // rendered once, sent byte for byte
        Assert.Equal(requests.Count, requests.Select(r => r.Timestamp).Distinct().Count()); // each attempt signed afresh
        Assert.All(requests, r => Assert.True(ReceiverVerifier.Verify(endpoint.Secret, r.Id, r.Timestamp, r.Signature, r.Body, DateTimeOffset.FromUnixTimeSeconds(long.Parse(r.Timestamp!, System.Globalization.CultureInfo.InvariantCulture)))));

        var attempts = await h.AttemptsAsync();
        Assert.Equal(Enumerable.Range(1, RetrySchedule.MaxAttempts), attempts.Select(a => a.Number));
        Assert.All(attempts, a => Assert.Equal((500, false, "boom"), (a.StatusCode!.Value, a.Succeeded, a.ResponseBody)));
        var stored = await h.EndpointAsync(endpoint.Id);
        Assert.True(stored.Enabled); // under five days of failures
        Assert.Equal(started, stored.FailingSince);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_receiver_down_for_hours_gets_every_event_once_it_is_back_and_duplicates_share_their_id(DatabaseProvider provider)
    {
        await using var h = await WebhookHarness.StartAsync(provider, new Dictionary<string, string?> { ["Webhooks:TimeoutSeconds"] = "1" });
        var down = true;
        var slowOnce = 1;
        var processed = new System.Collections.Concurrent.ConcurrentQueue<TestReceiver.Request>();
        h.Receiver.Answer = (request, _) =>
        {
            if (down)
            {
                return new ReceiverAnswer(Abort: true);
            }

            processed.Enqueue(request);
            // The first request after the outage is processed but answered too late: Promoter must send it again.
            return Interlocked.Exchange(ref slowOnce, 0) == 1 ? new ReceiverAnswer(Delay: TimeSpan.FromSeconds(3)) : ReceiverAnswer.Ok;
        };
        await h.CreateEndpointAsync();

        var responses = new List<long>();
        for (var minute = 0; minute <= 4 * 60; minute += 5)
        {
            if (minute is 0 or 10 or 40 or 120 or 180)
            {
                responses.Add(await h.RespondAsync(minute % 11, $"written at minute {minute}"));
            }

            await h.DispatchAsync();
            h.Clock.Advance(TimeSpan.FromMinutes(5));
        }

        Assert.All(await h.DeliveriesAsync(), d => Assert.Equal(WebhookDeliveryStatus.Pending, d.Status));
        down = false;
        for (var step = 0; step < 48 * 6 && (await h.DeliveriesAsync()).Any(d => d.Status == WebhookDeliveryStatus.Pending); step++)
        {
            await h.DispatchAsync();
            h.Clock.Advance(TimeSpan.FromMinutes(10));
        }

        var deliveries = await h.DeliveriesAsync();
        Assert.Equal(5, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(WebhookDeliveryStatus.Succeeded, d.Status));
        var received = processed.Select(r => JsonDocument.Parse(r.Body).RootElement.GetProperty("data").GetProperty("id").GetInt64()).ToHashSet();
        Assert.Equal(responses.ToHashSet(), received);
        // The slow answer made one event arrive twice after the outage; both copies carry the same webhook-id and bytes.
        var byId = processed.GroupBy(r => r.Id).ToList();
        Assert.Equal(5, byId.Count);
        Assert.Equal(6, processed.Count);
        Assert.All(byId, g => Assert.Single(g.Select(r => r.Body).Distinct()));
        Assert.Contains(byId, g => g.Count() == 2);
        Assert.Null((await h.QueryAsync(db => db.WebhookEndpoints.AsNoTracking().SingleAsync())).FailingSince); // a success ends the streak
    }

    [Fact]
    public async Task A_410_disables_the_endpoint_at_once_records_it_and_tells_the_admins()
    {
        var alerts = new CapturingAlerts();
        await using var h = await WebhookHarness.StartAsync(services: alerts.Register);
        var (adminEmail, _) = await h.Server.AddMemberAsync(h.Workspace.Id, Role.Admin);
        await h.Server.AddMemberAsync(h.Workspace.Id, Role.Viewer);
        h.Receiver.Answer = (_, _) => new ReceiverAnswer(410);
        var endpoint = await h.CreateEndpointAsync();
        await h.RespondAsync(10);

        await h.DispatchAsync();

        var stored = await h.EndpointAsync(endpoint.Id);
        Assert.False(stored.Enabled);
        Assert.Equal(WebhookDisabledReason.Gone, stored.DisabledReason);
        Assert.Equal(WebhookDeliveryStatus.Failed, Assert.Single(await h.DeliveriesAsync()).Status);
        var alert = Assert.Single(alerts.Alerts);
        Assert.Equal((endpoint.Id, WebhookDisabledReason.Gone), (alert.EndpointId, alert.Reason));
        Assert.Equal(new[] { adminEmail, h.Workspace.OwnerEmail }.Order(StringComparer.Ordinal), alert.Recipients);
        var audit = await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        var entry = audit.EnumerateArray().First(a => a.GetProperty("action").GetString() == "webhook.disabled");
        Assert.Equal("system", entry.GetProperty("actor").GetString());
        Assert.Contains("410", entry.GetProperty("details").GetString(), StringComparison.Ordinal);

        // Nothing more goes out: new events make no delivery for a disabled endpoint.
        await h.RespondAsync(9);
        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.DispatchAsync();
        Assert.Single(h.Receiver.Requests);
        Assert.Single(await h.DeliveriesAsync());
        Assert.Equal("gone", (await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{endpoint.Id}")).GetProperty("disabledReason").GetString());
    }

    [Fact]
    public async Task Owners_and_admins_are_mailed_when_an_endpoint_is_disabled()
    {
        await using var mail = await MailDev.StartAsync();
        var settings = WebhookHarness.DefaultSettings();
        foreach (var (key, value) in mail.Settings())
        {
            settings[key] = value;
        }

        settings["Email:DispatchEnabled"] = "false";
        settings["Promoter:PublicUrl"] = "https://nps.example.com";
        await using var h = await WebhookHarness.StartAsync(settings: settings);
        var (adminEmail, _) = await h.Server.AddMemberAsync(h.Workspace.Id, Role.Admin);
        await h.Server.AddMemberAsync(h.Workspace.Id, Role.Manager);
        h.Receiver.Answer = (_, _) => new ReceiverAnswer(410);
        var endpoint = await h.CreateEndpointAsync();
        await h.RespondAsync(10);

        await h.DispatchAsync();
        await h.Server.Services.GetRequiredService<Promoter.Platform.Email.EmailDispatcher>().DispatchDueAsync(CancellationToken.None);

        var messages = await mail.WaitForAsync(2, TimeSpan.FromSeconds(10));
        Assert.Equal(new[] { adminEmail, h.Workspace.OwnerEmail }.Order(StringComparer.Ordinal),
            messages.Select(m => m.GetProperty("to")[0].GetProperty("address").GetString()!).Order(StringComparer.Ordinal));
        Assert.All(messages, m =>
        {
            Assert.StartsWith("Webhook endpoint disabled: ", m.GetProperty("subject").GetString(), StringComparison.Ordinal);
            Assert.Contains("410 Gone", m.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Contains($"https://nps.example.com/settings/webhooks/{endpoint.Id}", m.GetProperty("html").GetString(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task Retry_After_in_seconds_or_as_a_date_is_honoured()
    {
        await using var h = await WebhookHarness.StartAsync();
        h.Receiver.Answer = (request, _) => h.Receiver.Requests.Count(r => r.Id == request.Id) > 1 ? ReceiverAnswer.Ok
            : request.Body.Contains("\"score\":3", StringComparison.Ordinal)
                ? new ReceiverAnswer(503, Headers: new Dictionary<string, string> { ["Retry-After"] = "3600" })
                : new ReceiverAnswer(429, Headers: new Dictionary<string, string> { ["Retry-After"] = h.Clock.GetUtcNow().AddHours(2).ToString("R") });
        await h.CreateEndpointAsync();
        await h.RespondAsync(3);
        await h.RespondAsync(5);
        var start = h.Now;

        await h.DispatchAsync();

        var deliveries = await h.DeliveriesAsync();
        Assert.Equal(start.AddHours(1), deliveries[0].NextAttemptAt); // instead of about 5 s
        Assert.Equal(start.AddHours(2), deliveries[1].NextAttemptAt, TimeSpan.FromSeconds(1));
        h.Clock.Advance(TimeSpan.FromMinutes(59));
        Assert.Equal(0, await h.DispatchAsync());
        h.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(1, await h.DispatchAsync());
        h.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Equal(1, await h.DispatchAsync());
        Assert.All(await h.DeliveriesAsync(), d => Assert.Equal(WebhookDeliveryStatus.Succeeded, d.Status));
    }

    [Fact]
    public async Task An_endpoint_whose_attempts_all_fail_for_five_days_is_disabled_and_resumes_held_deliveries_when_enabled()
    {
        var alerts = new CapturingAlerts();
        await using var h = await WebhookHarness.StartAsync(services: alerts.Register);
        var healthy = false;
        h.Receiver.Answer = (_, _) => healthy ? ReceiverAnswer.Ok : ServerError;
        var endpoint = await h.CreateEndpointAsync();
        var start = h.Now;

        // A new event every twelve hours keeps attempts coming; all of them fail.
        while (h.Now < start.AddDays(5))
        {
            await h.RespondAsync(2);
            await h.DispatchAsync();
            Assert.True((await h.EndpointAsync(endpoint.Id)).Enabled, $"disabled after {h.Now - start}");
            h.Clock.Advance(TimeSpan.FromHours(12));
        }

        await h.RespondAsync(2);
        await h.DispatchAsync();

        var stored = await h.EndpointAsync(endpoint.Id);
        Assert.Equal((false, WebhookDisabledReason.Failing), (stored.Enabled, stored.DisabledReason));
        Assert.Equal(start, stored.FailingSince);
        Assert.Equal(WebhookDisabledReason.Failing, Assert.Single(alerts.Alerts).Reason);
        var audit = await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/audit");
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "webhook.disabled" && a.GetProperty("details").GetString()!.Contains("5 days", StringComparison.Ordinal));

        // Deliveries still inside their schedule are held, not dropped: enabling the fixed endpoint sends them.
        var held = (await h.DeliveriesAsync()).Count(d => d.Status == WebhookDeliveryStatus.Pending);
        Assert.True(held > 0);
        h.Clock.Advance(TimeSpan.FromDays(1));
        Assert.Equal(0, await h.DispatchAsync());
        healthy = true;
        (await h.Api.PatchAsJsonAsync($"/api/v1/webhooks/{endpoint.Id}", new { enabled = true })).EnsureSuccessStatusCode();
        Assert.Equal(held, await h.DispatchAsync());
        Assert.DoesNotContain(await h.DeliveriesAsync(), d => d.Status == WebhookDeliveryStatus.Pending);
        stored = await h.EndpointAsync(endpoint.Id);
        Assert.Equal((true, null, null), (stored.Enabled, stored.DisabledReason, stored.FailingSince));
    }

    [Fact]
    public async Task A_receiver_that_does_not_answer_in_time_is_a_failed_attempt()
    {
        await using var h = await WebhookHarness.StartAsync(settings: new Dictionary<string, string?> { ["Webhooks:TimeoutSeconds"] = "1" });
        h.Receiver.Answer = (_, _) => new ReceiverAnswer(Delay: TimeSpan.FromSeconds(4));
        await h.CreateEndpointAsync();
        await h.RespondAsync(6);

        await h.DispatchAsync();

        var delivery = Assert.Single(await h.DeliveriesAsync());
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.Equal("No answer within 1 s.", delivery.LastError);
        Assert.Null(delivery.LastStatusCode);
    }

    [Fact]
    public async Task Only_the_first_kilobyte_of_a_large_answer_is_kept()
    {
        await using var h = await WebhookHarness.StartAsync();
        h.Receiver.Answer = (_, _) => new ReceiverAnswer(200, new string('x', 300_000));
        await h.CreateEndpointAsync();
        await h.RespondAsync(9);

        await h.DispatchAsync();

        var attempt = Assert.Single(await h.AttemptsAsync());
        Assert.True(attempt.Succeeded);
        Assert.Equal(new string('x', WebhookAttempt.StoredResponseChars), attempt.ResponseBody);
    }

    [Fact]
    public async Task The_background_worker_delivers_on_its_own_clock()
    {
        await using var h = await WebhookHarness.StartAsync(settings: new Dictionary<string, string?>
        {
            ["Webhooks:DispatchEnabled"] = "true",
            ["Webhooks:PollIntervalSeconds"] = "2",
        });
        await h.CreateEndpointAsync();
        await h.RespondAsync(10);

        for (var i = 0; i < 100 && h.Receiver.Requests.Count == 0; i++)
        {
            h.Clock.Advance(TimeSpan.FromSeconds(2));
            await Task.Delay(100);
        }

        Assert.Single(h.Receiver.Requests);
    }
}
