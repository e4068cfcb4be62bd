using Microsoft.Extensions.Options;

namespace Promoter.Loop;

/// <summary>
/// Opens cases and queues alerts as soon as a response is stored on this node (signal), and every few seconds for
/// responses stored elsewhere; then sends alert posts, escalates overdue cases and sends digests that came due.
/// </summary>
public sealed class LoopWorker(LoopProcessor processor, AlertPoster poster, CaseEscalation escalation, DigestSender digests, LoopSignal signal,
    TimeProvider clock, IOptions<LoopOptions> options, ILogger<LoopWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkerEnabled)
        {
            return;
        }

        var poll = TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.Next;
            try
            {
                await processor.ProcessDueAsync(stoppingToken);
                await poster.SendDueAsync(stoppingToken);
                await escalation.EscalateOverdueAsync(stoppingToken);
                await digests.SendDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One bad round must not stop the worker; the next one tries again.
                log.LogError(e, "A loop round failed");
            }

            await Task.WhenAny(wake, Task.Delay(poll, clock, stoppingToken));
        }
    }
}
