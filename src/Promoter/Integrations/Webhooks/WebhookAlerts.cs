using System.Net;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter.Integrations.Webhooks;

/// <summary>An endpoint was switched off by the dispatcher, and who should hear about it.</summary>
public sealed record WebhookDisabledAlert(Guid WorkspaceId, Guid EndpointId, string Url, WebhookDisabledReason Reason, DateTime At, IReadOnlyList<string> Recipients);

/// <summary>
/// Tells a workspace's owners and admins through another channel when their endpoint was disabled. The audit log
/// always records it; this hook is where the mail outbox plugs in: <see cref="EmailedWebhookAlerts"/> adds an outbox email per
/// recipient to the scope's <c>PromoterDb</c>. It is
/// called inside the transaction that disables the endpoint, with the scope bound to the endpoint's workspace, so those
/// rows commit with the change; it must not send anything itself.
/// </summary>
public interface IWebhookAlerts
{
    Task EndpointDisabledAsync(WebhookDisabledAlert alert, CancellationToken ct);
}

/// <summary>Mails each owner and admin through the outbox, in the transaction that disables the endpoint.</summary>
public sealed class EmailedWebhookAlerts(EmailOutbox outbox, PublicUrls urls) : IWebhookAlerts
{
    public Task EndpointDisabledAsync(WebhookDisabledAlert alert, CancellationToken ct)
    {
        var why = alert.Reason == WebhookDisabledReason.Gone
            ? "the receiver answered 410 Gone, which asks senders to stop"
            : $"every delivery attempt failed for {WebhookEndpoint.FailingPeriod.TotalDays:0} days";
        var url = WebhookDto.MaskUrl(alert.Url);
        var page = $"{urls.Base}/settings/webhooks/{alert.EndpointId}";
        var text = $"Promoter stopped sending webhooks to {url} because {why}.\n\n" +
                   $"Events are kept: once the receiver works again, enable the endpoint and replay what it missed:\n{page}\n";
        var html = $"<p>Promoter stopped sending webhooks to <code>{WebUtility.HtmlEncode(url)}</code> because {WebUtility.HtmlEncode(why)}.</p>" +
                   $"<p>Events are kept: once the receiver works again, enable the endpoint and replay what it missed.</p>" +
                   $"<p><a href=\"{WebUtility.HtmlEncode(page)}\">Open the endpoint</a></p>";
        foreach (var recipient in alert.Recipients)
        {
            outbox.Enqueue(EmailKinds.WebhookDisabled, recipient, new EmailContent("Webhook endpoint disabled: " + url, html, text),
                dedupeKey: $"webhook-disabled:{alert.EndpointId}:{alert.At.Ticks}:{EmailAddresses.Key(recipient)}");
        }

        return Task.CompletedTask;
    }
}
