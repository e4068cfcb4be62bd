namespace Promoter.Integrations.Webhooks;

/// <summary>An endpoint was switched off by the dispatcher, and who should hear about it.</summary>
public sealed record WebhookDisabledAlert(Guid WorkspaceId, Guid EndpointId, string Url, WebhookDisabledReason Reason, DateTime At, IReadOnlyList<string> Recipients);

/// <summary>
/// Tells a workspace's owners and admins through another channel when their endpoint was disabled. The audit log
/// always records it; this hook is where the mail outbox plugs in: register a scoped implementation (replacing
/// <see cref="LoggedWebhookAlerts"/>) that adds an outbox email per recipient to the scope's <c>PromoterDb</c>. It is
/// called inside the transaction that disables the endpoint, with the scope bound to the endpoint's workspace, so those
/// rows commit with the change; it must not send anything itself.
/// </summary>
public interface IWebhookAlerts
{
    Task EndpointDisabledAsync(WebhookDisabledAlert alert, CancellationToken ct);
}

/// <summary>Until Promoter sends its own mail: a warning in the server log, next to the audit entry.</summary>
public sealed partial class LoggedWebhookAlerts(ILogger<LoggedWebhookAlerts> log) : IWebhookAlerts
{
    public Task EndpointDisabledAsync(WebhookDisabledAlert alert, CancellationToken ct)
    {
        EndpointDisabled(log, alert.EndpointId, alert.WorkspaceId, alert.Reason, alert.Recipients.Count);
        return Task.CompletedTask;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook endpoint {EndpointId} of workspace {WorkspaceId} was disabled ({Reason}); no mail outbox is configured to tell its {Count} admin(s)")]
    private static partial void EndpointDisabled(ILogger logger, Guid endpointId, Guid workspaceId, WebhookDisabledReason reason, int count);
}
