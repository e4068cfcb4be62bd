using System.Diagnostics;
using Microsoft.Extensions.Options;
using Promoter.Data;
using Promoter.Loop;

namespace Promoter.Understand;

/// <summary>
/// Indexes comments shortly after a response is stored on this node (the writer's signal, then
/// <see cref="UnderstandOptions.GatherMilliseconds"/> to let more arrive), and every second for responses stored elsewhere;
/// between index batches it runs theme re-tagging chunks, so new comments are never held up for long by a re-tagging job.
/// The gathering delay matters under intake: woken for every response, the indexer committed batches of a few comments,
/// each a durable commit competing with the intake's own group commits for SQLite's one writer.
/// </summary>
public sealed class TextWorker(IServiceScopeFactory scopes, LoopSignal signal, TimeProvider clock, IOptions<UnderstandOptions> options,
    ILogger<TextWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.WorkerEnabled)
        {
            return;
        }

        var poll = TimeSpan.FromSeconds(options.Value.PollIntervalSeconds);
        var pace = new IntakePace(signal, clock, options.Value);
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.Next;
            try
            {
                await RunOnceAsync(scopes, stoppingToken, pace.AfterBatchAsync);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One bad round must not stop the worker: the queue rows stay and the next round tries again.
                log.LogError(e, "A text indexing round failed");
            }

            if (await Task.WhenAny(wake, Task.Delay(poll, clock, stoppingToken)) == wake && options.Value.GatherMilliseconds > 0)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(options.Value.GatherMilliseconds), clock, stoppingToken);
            }
        }
    }

    /// <summary>
    /// One batch; when it fails, the oldest queued response alone, and when that fails too it is taken out of the queue
    /// (logged with its id) so that one response the pipeline cannot handle never stops the index.
    /// </summary>
    private static async Task<int> IndexBatchAsync(IServiceScopeFactory scopes, int size, CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<TextIndexer>().IndexNextBatchAsync(scope.ServiceProvider.GetRequiredService<WorkspaceContext>(), ct, size);
        }
        catch (Exception e) when (e is not OperationCanceledException && size > 1)
        {
            return await IndexBatchAsync(scopes, 1, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            await using var scope = scopes.CreateAsyncScope();
            var skipped = await scope.ServiceProvider.GetRequiredService<TextIndexer>().SkipOldestAsync(ct);
            scope.ServiceProvider.GetRequiredService<ILogger<TextWorker>>().LogError(e, "Comment of response {ResponseId} could not be indexed; it was left out", skipped);
            return 1;
        }
    }

    /// <summary>
    /// Indexes everything queued and runs every due re-tagging job to its end (tests and the bench call this directly).
    /// <paramref name="afterBatch"/> is told how long each index batch took, and may wait before the next.
    /// </summary>
    public static async Task RunOnceAsync(IServiceScopeFactory scopes, CancellationToken ct, Func<TimeSpan, CancellationToken, Task>? afterBatch = null)
    {
        while (true)
        {
            var indexed = 0;
            while (true)
            {
                var started = Stopwatch.GetTimestamp();
                var n = await IndexBatchAsync(scopes, TextIndexer.Batch, ct);
                indexed += n;
                if (n == 0)
                {
                    break;
                }

                if (afterBatch is not null)
                {
                    await afterBatch(Stopwatch.GetElapsedTime(started), ct);
                }
            }

            await using (var scope = scopes.CreateAsyncScope())
            {
                if (!await scope.ServiceProvider.GetRequiredService<ThemeRetagger>().RunChunkAsync(scope.ServiceProvider.GetRequiredService<WorkspaceContext>(), ct)
                    && indexed == 0)
                {
                    return;
                }
            }
        }
    }
}

/// <summary>
/// Keeps indexing from slowing the intake down: while this node stores more than
/// <see cref="UnderstandOptions.BusyIntakePerSecond"/> responses a second, the indexer works at most
/// <see cref="UnderstandOptions.BusyShare"/> of the time (after a batch that took t it rests t·(1 − share)/share), so
/// the index lags behind during a burst and catches up at full speed once the intake calms down. The queue's length is
/// shown as <c>queued</c> by <c>GET /api/v1/themes</c>.
/// </summary>
internal sealed class IntakePace(LoopSignal signal, TimeProvider clock, UnderstandOptions options)
{
    private long _lastStored = signal.Stored;
    private long _lastAt = clock.GetTimestamp();
    private double _perSecond;

    /// <summary>This node's recent intake, responses per second (measured over at least a quarter of a second).</summary>
    public double PerSecond
    {
        get
        {
            var now = clock.GetTimestamp();
            var seconds = clock.GetElapsedTime(_lastAt, now).TotalSeconds;
            if (seconds >= 0.25)
            {
                var stored = signal.Stored;
                _perSecond = (stored - _lastStored) / seconds;
                (_lastStored, _lastAt) = (stored, now);
            }

            return _perSecond;
        }
    }

    public async Task AfterBatchAsync(TimeSpan took, CancellationToken ct)
    {
        if (options.BusyShare >= 1 || PerSecond < options.BusyIntakePerSecond)
        {
            return;
        }

        var rest = took * ((1 - options.BusyShare) / options.BusyShare);
        await Task.Delay(rest < TimeSpan.FromSeconds(10) ? rest : TimeSpan.FromSeconds(10), clock, ct);
    }
}
