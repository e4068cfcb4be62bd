using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;

namespace Promoter.Loop;

/// <summary>Drains the loop queue: each response in a scope bound to its workspace, in its own transaction.</summary>
public sealed class LoopProcessor(IServiceScopeFactory scopes, ILogger<LoopProcessor> log)
{
    public const int Batch = 100;

    /// <summary>Handles what is queued now; returns how many queue rows it looked at.</summary>
    public async Task<int> ProcessDueAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            List<LoopQueueItem> items;
            await using (var scope = scopes.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
                items = await CrossWorkspaceQueries.LoopQueue(db).AsNoTracking().Take(Batch).ToListAsync(ct);
            }

            var failed = 0;
            foreach (var item in items)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(item.WorkspaceId);
                    await scope.ServiceProvider.GetRequiredService<ResponseFollowUp>().HandleAsync(item.Id, item.ResponseId, ct);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // The row stays queued and is tried again next round; one bad response must not hold up the others.
                    failed++;
                    log.LogError(e, "Following up response {ResponseId} failed", item.ResponseId);
                }
            }

            total += items.Count;
            if (items.Count < Batch || failed == items.Count)
            {
                return total;
            }
        }
    }
}
