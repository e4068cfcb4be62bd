using Microsoft.Extensions.Options;

namespace Promoter.Integrations.Webhooks;

/// <summary>Runs <see cref="WebhookDispatcher"/> every few seconds on the injected clock, and purges old logs hourly.</summary>
public sealed partial class WebhookDispatcherWorker(WebhookDispatcher dispatcher, TimeProvider clock, IOptions<WebhooksOptions> options, ILogger<WebhookDispatcherWorker> log)
    : BackgroundService
{
    public static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatchEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.PollIntervalSeconds), clock);
        var nextPurge = clock.GetUtcNow();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await dispatcher.DispatchDueAsync(stoppingToken);
                if (clock.GetUtcNow() >= nextPurge)
                {
                    await dispatcher.PurgeExpiredAsync(stoppingToken);
                    nextPurge = clock.GetUtcNow() + PurgeInterval;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One bad tick must not stop the worker; the next tick tries again.
                TickFailed(log, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Dispatching webhooks failed")]
    private static partial void TickFailed(ILogger logger, Exception e);
}
