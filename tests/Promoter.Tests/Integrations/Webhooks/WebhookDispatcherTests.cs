using System.Net.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Integrations.Webhooks;

/// <summary>The dispatcher as several nodes run it, and what it keeps (and forgets) over time.</summary>
public sealed class WebhookDispatcherTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Several_dispatchers_running_at_once_send_each_delivery_once(DatabaseProvider provider)
    {
        await using var h = await WebhookHarness.StartAsync(provider);
        await h.CreateEndpointAsync();
        await h.CreateEndpointAsync(url: h.Receiver.Hook("second"));
        for (var i = 0; i < 40; i++)
        {
            await h.RespondAsync(i % 11);
        }

        // Four nodes, each with its own dispatcher, claiming from the same table at the same moment.
        var nodes = Enumerable.Range(0, 4).Select(_ => ActivatorUtilities.CreateInstance<WebhookDispatcher>(h.Server.Services)).ToList();
        var attempted = await Task.WhenAll(nodes.Select(n => Task.Run(() => n.DispatchDueAsync(CancellationToken.None))));

        Assert.Equal(80, attempted.Sum());
        Assert.Equal(80, h.Receiver.Requests.Count);
        Assert.Equal(80, h.Receiver.Requests.Select(r => (r.Path, r.Id)).Distinct().Count());
        Assert.All(await h.DeliveriesAsync(), d => Assert.Equal((WebhookDeliveryStatus.Succeeded, 1), (d.Status, d.Attempts)));
    }

    [Fact]
    public async Task A_delivery_leased_by_a_node_that_died_is_sent_again_by_another_after_the_lease()
    {
        await using var h = await WebhookHarness.StartAsync();
        await h.CreateEndpointAsync();
        await h.RespondAsync(8);
        // A node claimed it and vanished mid-send.
        await h.QueryAsync(db => db.WebhookDeliveries.ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseOwner, Guid.NewGuid()).SetProperty(d => d.LeaseUntil, h.Now + WebhookDispatcher.Lease)));

        Assert.Equal(0, await h.DispatchAsync());
        h.Clock.Advance(WebhookDispatcher.Lease);
        Assert.Equal(1, await h.DispatchAsync());
        Assert.Equal(WebhookDeliveryStatus.Succeeded, Assert.Single(await h.DeliveriesAsync()).Status);
    }

    [Fact]
    public async Task Events_and_their_logs_are_purged_after_the_retention_period_unless_still_pending()
    {
        await using var h = await WebhookHarness.StartAsync(settings: new Dictionary<string, string?> { ["Webhooks:RetentionDays"] = "30" });
        h.Receiver.Answer = (request, _) => request.Body.Contains("\"score\":0", StringComparison.Ordinal) ? new ReceiverAnswer(500) : ReceiverAnswer.Ok;
        var endpoint = await h.CreateEndpointAsync();
        await h.RespondAsync(10);
        await h.RespondAsync(0);
        await h.DispatchAsync();
        // The failing one is held pending: its endpoint is disabled before the schedule runs out.
        (await h.Api.PatchAsJsonAsync($"/api/v1/webhooks/{endpoint.Id}", new { enabled = false })).EnsureSuccessStatusCode();
        var dispatcher = h.Server.Services.GetRequiredService<WebhookDispatcher>();

        h.Clock.Advance(TimeSpan.FromDays(29));
        Assert.Equal(0, await dispatcher.PurgeExpiredAsync(CancellationToken.None));
        h.Clock.Advance(TimeSpan.FromDays(2));
        Assert.Equal(1, await dispatcher.PurgeExpiredAsync(CancellationToken.None));

        var kept = Assert.Single(await h.DeliveriesAsync());
        Assert.Equal(WebhookDeliveryStatus.Pending, kept.Status);
        Assert.Single(await h.EventsAsync());
        Assert.All(await h.AttemptsAsync(), a => Assert.Equal(kept.Id, a.DeliveryId));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Erasing_a_response_erases_its_events_delivery_bodies_and_logs(DatabaseProvider provider)
    {
        await using var h = await WebhookHarness.StartAsync(provider);
        await h.CreateEndpointAsync();
        var erased = await h.RespondAsync(3, "Please forget me", "forget@example.com");
        var kept = await h.RespondAsync(9, "Keep me");
        await h.DispatchAsync();
        Assert.Equal(2, (await h.AttemptsAsync()).Count);

        await h.QueryAsync(db => db.Responses.Where(r => r.Id == erased).ExecuteDeleteAsync());

        var e = Assert.Single(await h.EventsAsync());
        Assert.Equal(kept.ToString(System.Globalization.CultureInfo.InvariantCulture), e.ResourceId);
        var delivery = Assert.Single(await h.DeliveriesAsync());
        Assert.DoesNotContain("forget", delivery.Body, StringComparison.Ordinal);
        Assert.Single(await h.AttemptsAsync());
    }

    [Fact]
    public void The_allowlist_may_be_a_comma_separated_string_or_an_array_in_configuration()
    {
        var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:AllowedPrivateNetworks:0"] = "10.1.0.0/16",
            ["Webhooks:AllowedPrivateNetworks:1"] = "192.168.7.0/24",
        });
        builder.AddWebhooks();
        using var host = builder.Build();

        var policy = host.Services.GetRequiredService<WebhookNetworkPolicy>();
        Assert.Null(policy.Refusal(System.Net.IPAddress.Parse("10.1.2.3")));
        Assert.Null(policy.Refusal(System.Net.IPAddress.Parse("192.168.7.9")));
        Assert.NotNull(policy.Refusal(System.Net.IPAddress.Parse("10.2.0.1")));
        Assert.Equal("10.1.0.0/16,192.168.7.0/24", host.Services.GetRequiredService<IOptions<WebhooksOptions>>().Value.AllowedPrivateNetworks);
    }
}
