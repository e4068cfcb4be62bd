using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Promoter.Data;
using Promoter.Integrations.Webhooks;

namespace Promoter.Tests.Integrations.Webhooks;

/// <summary>
/// Webhooks must never reach this server's own network. A trap listens on 127.0.0.1 (not allowed); the harness's
/// receiver on 127.0.0.2 is the one private address the tests allow, so it proves that allowed sends do go out.
/// </summary>
public sealed class WebhookSsrfTests
{
    /// <summary>URLs that all lead to this machine or to internal networks, in the forms attackers use.</summary>
    private static string[] HostileTargets(int trap) =>
    [
        $"http://127.0.0.1:{trap}/hook",
        $"https://127.0.0.1:{trap}/hook",
        $"http://127.0.0.3:{trap}/hook",
        $"http://[::1]:{trap}/hook",
        "http://169.254.169.254/latest/meta-data/",
        $"http://[::ffff:127.0.0.1]:{trap}/hook",
        $"http://[::ffff:7f00:1]:{trap}/hook",
        $"http://2130706433:{trap}/hook",
        $"http://0x7f000001:{trap}/hook",
        $"http://0x7f.1:{trap}/hook",
        $"http://0177.0.0.1:{trap}/hook",
        $"http://127.1:{trap}/hook",
        $"http://localhost:{trap}/hook",
        $"http://①②⑦.0.0.1:{trap}/hook",
        $"http://[64:ff9b::7f00:1]:{trap}/hook",
        $"http://[2002:7f00:1::1]:{trap}/hook",
        $"http://0.0.0.0:{trap}/hook",
        "http://10.0.0.1:8080/",
        "http://172.16.5.4:8080/",
        "http://192.168.1.1:8080/",
        "http://100.64.0.1:8080/",
        "http://198.18.0.1:8080/",
        "http://[fe80::1]:8080/",
        "http://[fd00:ec2::254]:8080/",
    ];

    [Fact]
    public async Task Internal_addresses_in_every_notation_are_refused_when_saving()
    {
        await using var h = await WebhookHarness.StartAsync();
        await using var trap = await TestReceiver.StartAsync("127.0.0.1");
        string[] otherSchemes = ["http://[fe80::1%25eth0]:8080/", "javascript:alert(1)", "file:///etc/passwd", $"gopher://127.0.0.1:{trap.Port}/_", "ftp://example.com/", "data:text/plain,hi"];

        var accepted = new List<string>();
        foreach (var url in HostileTargets(trap.Port).Concat(otherSchemes))
        {
            using var response = await h.Api.PostAsJsonAsync("/api/v1/webhooks", new { url, eventTypes = new[] { "response.created" } });
            var body = await response.Content.ReadFromJsonAsync<JsonElement>();
            if (response.StatusCode != HttpStatusCode.BadRequest || !body.GetProperty("errors").TryGetProperty("url", out _))
            {
                accepted.Add($"{url}: {(int)response.StatusCode}");
            }
        }

        Assert.Empty(accepted);
        Assert.Empty(trap.Requests);
        Assert.Empty(await h.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.WebhookEndpoints)));
        // Changing a saved endpoint to one of them is refused too.
        var endpoint = await h.CreateEndpointAsync();
        using var patch = await h.Api.PatchAsJsonAsync($"/api/v1/webhooks/{endpoint.Id}", new { url = $"http://0x7f.1:{trap.Port}/" });
        Assert.Equal(HttpStatusCode.BadRequest, patch.StatusCode);
    }

    [Fact]
    public async Task Internal_addresses_stored_anyway_are_refused_when_sending_and_allowed_ones_still_go_out()
    {
        await using var h = await WebhookHarness.StartAsync();
        await using var trap = await TestReceiver.StartAsync("127.0.0.1");
        // As if DNS changed after saving, or the rows predate a policy: the connection-time guard is what counts.
        var secrets = h.Server.Services.GetRequiredService<WebhookSecrets>();
        var urls = HostileTargets(trap.Port);
        await h.QueryAsync(async db =>
        {
            foreach (var url in urls)
            {
                db.WebhookEndpoints.Add(new WebhookEndpoint
                {
                    Id = Guid.CreateVersion7(), Url = url, EventTypes = [WebhookEventTypes.ResponseCreated],
                    Secret = secrets.Protect(WebhookSignature.NewSecret()), CreatedAt = h.Now, UpdatedAt = h.Now,
                });
            }

            return await db.SaveChangesAsync();
        });
        var allowed = await h.CreateEndpointAsync();
        await h.RespondAsync(1);

        await h.DispatchAsync();

        var deliveries = await h.DeliveriesAsync();
        Assert.Equal(urls.Length + 1, deliveries.Count);
        var sent = Assert.Single(deliveries, d => d.EndpointId == allowed.Id);
        Assert.Equal(WebhookDeliveryStatus.Succeeded, sent.Status);
        Assert.Single(h.Receiver.Requests);
        var notRefused = deliveries.Where(d => d.EndpointId != allowed.Id && d.LastError?.StartsWith("Refused to connect to ", StringComparison.Ordinal) != true)
            .Select(d => $"{d.EndpointId}: {d.LastError}").ToList();
        Assert.Empty(notRefused);
        Assert.Empty(trap.Requests);
    }

    [Fact]
    public async Task A_redirect_to_loopback_is_a_failed_attempt_and_is_not_followed()
    {
        await using var h = await WebhookHarness.StartAsync();
        await using var trap = await TestReceiver.StartAsync("127.0.0.1");
        h.Receiver.Answer = (_, _) => new ReceiverAnswer(302, Headers: new Dictionary<string, string> { ["Location"] = $"http://127.0.0.1:{trap.Port}/stolen" });
        await h.CreateEndpointAsync();
        await h.RespondAsync(5);

        await h.DispatchAsync();

        var delivery = Assert.Single(await h.DeliveriesAsync());
        Assert.Equal((WebhookDeliveryStatus.Pending, 302), (delivery.Status, delivery.LastStatusCode));
        Assert.Contains("redirects are not followed", delivery.LastError, StringComparison.Ordinal);
        Assert.Single(h.Receiver.Requests);
        Assert.Empty(trap.Requests);
    }

    [Fact]
    public async Task Plain_http_is_refused_on_save_and_on_send_unless_the_operator_allows_it()
    {
        await using var h = await WebhookHarness.StartAsync(settings: new Dictionary<string, string?> { ["Webhooks:AllowHttp"] = "false" });

        using var save = await h.Api.PostAsJsonAsync("/api/v1/webhooks", new { url = h.Receiver.Hook(), eventTypes = new[] { "response.created" } });
        Assert.Equal(HttpStatusCode.BadRequest, save.StatusCode);
        Assert.Equal("Enter an absolute https URL.", (await save.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").GetProperty("url")[0].GetString());

        var secrets = h.Server.Services.GetRequiredService<WebhookSecrets>();
        await h.QueryAsync(async db =>
        {
            db.WebhookEndpoints.Add(new WebhookEndpoint
            {
                Id = Guid.CreateVersion7(), Url = h.Receiver.Hook(), EventTypes = [WebhookEventTypes.ResponseCreated],
                Secret = secrets.Protect(WebhookSignature.NewSecret()), CreatedAt = h.Now, UpdatedAt = h.Now,
            });
            return await db.SaveChangesAsync();
        });
        await h.RespondAsync(8);
        await h.DispatchAsync();

        Assert.StartsWith("Refused: http URLs are not allowed", Assert.Single(await h.DeliveriesAsync()).LastError, StringComparison.Ordinal);
        Assert.Empty(h.Receiver.Requests);
    }

    [Theory]
    [InlineData("8.8.8.8", true)]
    [InlineData("93.184.215.14", true)]
    [InlineData("2606:4700:4700::1111", true)]
    [InlineData("127.0.0.2", true)] // allowed by the test's setting
    [InlineData("::ffff:127.0.0.2", true)]
    [InlineData("127.0.0.1", false)]
    [InlineData("0.0.0.0", false)]
    [InlineData("10.255.0.1", false)]
    [InlineData("100.127.255.255", false)]
    [InlineData("169.254.169.254", false)]
    [InlineData("172.31.0.1", false)]
    [InlineData("192.0.0.8", false)]
    [InlineData("192.168.0.1", false)]
    [InlineData("198.19.255.255", false)]
    [InlineData("224.0.0.251", false)]
    [InlineData("255.255.255.255", false)]
    [InlineData("::", false)]
    [InlineData("::1", false)]
    [InlineData("::ffff:10.0.0.1", false)]
    [InlineData("64:ff9b::a00:1", false)]
    [InlineData("2002:c0a8:101::1", false)] // 6to4 around 192.168.1.1
    [InlineData("fc00::1", false)]
    [InlineData("fe80::1", false)]
    [InlineData("ff02::1", false)]
    public void The_network_policy_allows_public_and_explicitly_allowed_addresses_only(string address, bool allowed)
    {
        var policy = new WebhookNetworkPolicy(Options.Create(new WebhooksOptions { AllowedPrivateNetworks = WebhookHarness.ReceiverNetwork }));
        Assert.Equal(allowed, policy.Refusal(IPAddress.Parse(address)) is null);
    }

    [Fact]
    public async Task A_malformed_network_allowlist_stops_start_up()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var server = await Promoter.Tests.Infrastructure.PromoterTestServer.StartAsync(DatabaseProvider.Sqlite,
                new() { Settings = { ["Webhooks:AllowedPrivateNetworks"] = "10.0.0.0/8, intranet" } });
        });
        Assert.Contains("AllowedPrivateNetworks", error.Message, StringComparison.Ordinal);
    }
}
