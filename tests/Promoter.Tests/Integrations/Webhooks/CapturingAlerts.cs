using System.Collections.Concurrent;
using Promoter.Integrations.Webhooks;

namespace Promoter.Tests.Integrations.Webhooks;

/// <summary>Stands in for the mail outbox: records what the dispatcher asked to tell the admins.</summary>
public sealed class CapturingAlerts : IWebhookAlerts
{
    private readonly ConcurrentQueue<WebhookDisabledAlert> _alerts = new();

    public IReadOnlyList<WebhookDisabledAlert> Alerts => [.. _alerts];

    public Task EndpointDisabledAsync(WebhookDisabledAlert alert, CancellationToken ct)
    {
        _alerts.Enqueue(alert);
        return Task.CompletedTask;
    }

    public void Register(IServiceCollection services) => services.AddSingleton<IWebhookAlerts>(this);
}
