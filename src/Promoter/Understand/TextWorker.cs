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
        while (!stoppingToken.IsCancellationRequested)
        {
            var wake = signal.Next;
            try
            {
                await RunOnceAsync(scopes, stoppingToken);
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

    /// <summary>Indexes everything queued and runs every due re-tagging job to its end (tests and the bench call this directly).</summary>
    public static async Task RunOnceAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        while (true)
        {
            var indexed = 0;
            while (true)
            {
                var n = await IndexBatchAsync(scopes, TextIndexer.Batch, ct);
                indexed += n;
                if (n == 0)
                {
                    break;
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
