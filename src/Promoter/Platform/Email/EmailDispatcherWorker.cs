using Microsoft.Extensions.Options;

namespace Promoter.Platform.Email;

/// <summary>
/// Runs <see cref="EmailDispatcher"/> whenever mail is queued on this node, and every few seconds for mail queued by
/// other nodes or coming due; purges old mail hourly.
/// </summary>
public sealed partial class EmailDispatcherWorker(EmailDispatcher dispatcher, EmailSignal signal, TimeProvider clock, IOptions<EmailOptions> options,
    IHostApplicationLifetime lifetime, ILogger<EmailDispatcherWorker> log) : BackgroundService
{
    public static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.DispatchEnabled)
        {
            return;
        }

        // Links in mail default to the server's own address, which exists only once it listens. Sending earlier failed
        // the first batch after a restart and held it for a whole lease (found by InvitationFaultTests).
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(stoppingToken);
        }

        var poll = TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);
        var nextPurge = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.Next;
            try
            {
                await dispatcher.DispatchDueAsync(stoppingToken);
                if (clock.GetUtcNow() >= nextPurge)
                {
                    await dispatcher.PurgeFinishedAsync(stoppingToken);
                    nextPurge = clock.GetUtcNow() + PurgeInterval;
                }
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One bad round must not stop the worker; the next one tries again.
                RoundFailed(log, e);
            }

            await Task.WhenAny(wake, Task.Delay(poll, clock, stoppingToken));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Sending queued email failed")]
    private static partial void RoundFailed(ILogger logger, Exception e);
}
