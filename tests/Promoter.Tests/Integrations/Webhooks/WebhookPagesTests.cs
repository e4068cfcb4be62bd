using System.Net;
using System.Text.RegularExpressions;
using Promoter.Accounts;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Integrations.Webhooks;

/// <summary>The dashboard pages: admins manage endpoints and replay deliveries; viewers only look.</summary>
public sealed partial class WebhookPagesTests
{
    [Fact]
    public async Task An_admin_adds_an_endpoint_sees_its_secret_once_and_replays_a_delivery_from_the_log()
    {
        await using var h = await WebhookHarness.StartAsync();
        var (email, password) = await h.Server.AddMemberAsync(h.Workspace.Id, Role.Admin);
        using var admin = await h.Server.SignInAsync(email, password);

        var page = await admin.GetStringAsync("/settings/webhooks");
        Assert.Contains("No endpoints yet.", page, StringComparison.Ordinal);
        Assert.Contains("href=\"/settings/webhooks\"", page, StringComparison.Ordinal); // in the navigation

        var refused = await PostAsync(admin, "/settings/webhooks?handler=Create", page,
            ("Form.Url", "http://127.0.0.1:8080/"), ("Form.Format", "standard"), ("Form.EventTypes", "response.created"), ("Form.Enabled", "true"));
        Assert.Equal(HttpStatusCode.OK, refused.Status);
        Assert.Matches("data-field=\"Form.Url\">Webhooks go to public addresses only", refused.Html);
        Assert.Contains("value=\"http://127.0.0.1:8080/\"", refused.Html, StringComparison.Ordinal); // what was typed stays

        var created = await PostAsync(admin, "/settings/webhooks?handler=Create", page,
            ("Form.Url", h.Receiver.Hook()), ("Form.Description", "CRM"), ("Form.Format", "standard"),
            ("Form.EventTypes", "response.created"), ("Form.EventTypes", "response.updated"), ("Form.Enabled", "true"), ("Form.Enabled", "false"));
        var secret = SecretPattern().Match(created.Html).Groups[1].Value;
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        var endpoint = Assert.Single(await h.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.WebhookEndpoints)));
        Assert.Equal((h.Receiver.Hook(), "CRM", true), (endpoint.Url, endpoint.Description, endpoint.Enabled));
        Assert.DoesNotContain(secret, await admin.GetStringAsync("/settings/webhooks"), StringComparison.Ordinal);

        await h.RespondAsync(9);
        await h.DispatchAsync();
        var details = await admin.GetStringAsync($"/settings/webhooks/{endpoint.Id}");
        var deliveryId = Assert.Single(await h.DeliveriesAsync()).Id;
        Assert.Contains($"href=\"/settings/webhooks/{endpoint.Id}/deliveries/{deliveryId}\"", details, StringComparison.Ordinal);
        Assert.Contains("succeeded", details, StringComparison.Ordinal);
        Assert.Contains("handler=Replay", details, StringComparison.Ordinal);

        var replayed = await PostAsync(admin, $"/settings/webhooks/{endpoint.Id}?handler=Replay", details, ("deliveryId", deliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.Contains($"Delivery #{deliveryId} is queued again", replayed.Html, StringComparison.Ordinal);
        await h.DispatchAsync();
        Assert.Equal(2, h.Receiver.Requests.Count);
        Assert.Single(h.Receiver.Requests.Select(r => r.Id).Distinct());

        var log = await admin.GetStringAsync($"/settings/webhooks/{endpoint.Id}/deliveries/{deliveryId}");
        Assert.Contains(WebUtility.HtmlEncode(h.Receiver.Requests[0].Body), log, StringComparison.Ordinal);

        var rotated = await PostAsync(admin, $"/settings/webhooks/{endpoint.Id}?handler=Rotate", details);
        Assert.NotEqual(secret, SecretPattern().Match(rotated.Html).Groups[1].Value);
        Assert.Contains("Previous secret signs until", rotated.Html, StringComparison.Ordinal);

        var disabled = await PostAsync(admin, $"/settings/webhooks/{endpoint.Id}?handler=Save", details,
            ("Form.Url", h.Receiver.Hook()), ("Form.Format", "standard"), ("Form.EventTypes", "response.created"), ("Form.Enabled", "false"));
        Assert.Contains("Saved.", disabled.Html, StringComparison.Ordinal);
        Assert.False((await h.EndpointAsync(endpoint.Id)).Enabled);

        var deleted = await PostAsync(admin, $"/settings/webhooks/{endpoint.Id}?handler=Delete", details);
        Assert.Equal(HttpStatusCode.Redirect, deleted.Status);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/settings/webhooks/{endpoint.Id}")).StatusCode);
    }

    [Fact]
    public async Task A_viewer_reads_endpoints_and_deliveries_without_full_urls_or_any_way_to_change_them()
    {
        await using var h = await WebhookHarness.StartAsync();
        var endpoint = await h.CreateEndpointAsync(url: h.Receiver.Hook("services/T000/B000/secret-part"));
        await h.RespondAsync(2);
        await h.DispatchAsync();
        var deliveryId = Assert.Single(await h.DeliveriesAsync()).Id;
        var (email, password) = await h.Server.AddMemberAsync(h.Workspace.Id, Role.Viewer);
        using var viewer = await h.Server.SignInAsync(email, password);

        var list = await viewer.GetStringAsync("/settings/webhooks");
        var details = await viewer.GetStringAsync($"/settings/webhooks/{endpoint.Id}");
        var delivery = await viewer.GetStringAsync($"/settings/webhooks/{endpoint.Id}/deliveries/{deliveryId}");

        foreach (var html in new[] { list, details, delivery })
        {
            Assert.DoesNotContain("secret-part", html, StringComparison.Ordinal);
            Assert.DoesNotContain("handler=", html, StringComparison.Ordinal); // no form posts anywhere
            Assert.DoesNotContain(">Replay<", html, StringComparison.Ordinal);
        }

        Assert.Contains($"http://127.0.0.2:{h.Receiver.Port}/…", list, StringComparison.Ordinal);
        Assert.DoesNotContain("Add an endpoint", list, StringComparison.Ordinal);
        Assert.Contains("succeeded", details, StringComparison.Ordinal);

        // Posting anyway, with a valid antiforgery token, is refused.
        foreach (var (url, fields) in new (string, (string, string)[])[]
                 {
                     ("/settings/webhooks?handler=Create", [("Form.Url", "https://93.184.215.14/"), ("Form.EventTypes", "response.created")]),
                     ($"/settings/webhooks/{endpoint.Id}?handler=Replay", [("deliveryId", deliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture))]),
                     ($"/settings/webhooks/{endpoint.Id}?handler=Rotate", []),
                     ($"/settings/webhooks/{endpoint.Id}?handler=Delete", []),
                     ($"/settings/webhooks/{endpoint.Id}/deliveries/{deliveryId}?handler=Replay", []),
                 })
        {
            var (status, _) = await PostAsync(viewer, url, list, fields);
            Assert.True(status is HttpStatusCode.Forbidden or HttpStatusCode.Redirect, $"{url}: {status}");
        }

        Assert.Single(await h.DeliveriesAsync());
        Assert.True((await h.EndpointAsync(endpoint.Id)).Enabled);
        Assert.Single(await h.QueryAsync(db => Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(db.WebhookEndpoints)));
    }

    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(HttpClient client, string url, string pageWithToken, params (string Key, string Value)[] fields)
    {
        var form = fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value))
            .Append(new("__RequestVerificationToken", HtmlForms.AntiforgeryToken(pageWithToken)));
        using var response = await client.PostAsync(url, new FormUrlEncodedContent(form));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("id=\"new-secret\">([^<]+)<")]
    private static partial Regex SecretPattern();
}
