using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Distribution;

namespace Promoter.Collect.Respondent;

/// <summary>
/// A provisional score the respondent never submitted becomes final after <see cref="After"/> without a change, marked
/// <see cref="SurveyResponse.ImplicitlyConfirmed"/>: people who choose a score and close the tab still count.
/// Serves every workspace; safe to run on several nodes at once (each update re-checks the status).
/// </summary>
public sealed class ResponseFinalizer(PromoterDb db, TimeProvider clock)
{
    public static readonly TimeSpan After = TimeSpan.FromMinutes(30);
    public const int BatchSize = 500;

    /// <summary>Finalizes what is due; returns how many responses became final.</summary>
    public async Task<int> FinalizeDueAsync(CancellationToken ct)
    {
        var total = 0;
        while (true)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var due = await CrossWorkspaceQueries.ProvisionalResponsesBefore(db, now - After)
                .OrderBy(r => r.Id).Take(BatchSize).Select(r => new { r.Id, r.InvitationId }).ToListAsync(ct);
            if (due.Count == 0)
            {
                return total;
            }

            var ids = due.Select(r => r.Id).ToList();
            total += await CrossWorkspaceQueries.ProvisionalResponsesBefore(db, now - After).Where(r => ids.Contains(r.Id))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(r => r.Status, ResponseStatus.Final)
                    .SetProperty(r => r.ImplicitlyConfirmed, true)
                    .SetProperty(r => r.UpdatedAt, now), ct);
            var invitations = due.Where(r => r.InvitationId is not null).Select(r => r.InvitationId!.Value).ToList();
            await CrossWorkspaceQueries.InvitationsWithIds(db, invitations).Where(i => i.Status != InvitationStatus.Responded)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(i => i.Status, InvitationStatus.Responded)
                    .SetProperty(i => i.RespondedAt, i => i.RespondedAt ?? now), ct);
            if (due.Count < BatchSize)
            {
                return total;
            }
        }
    }
}

/// <summary>Runs <see cref="ResponseFinalizer"/> once a minute on the injected clock.</summary>
public sealed class ResponseFinalizerWorker(IServiceScopeFactory scopes, TimeProvider clock, ILogger<ResponseFinalizerWorker> log) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await scope.ServiceProvider.GetRequiredService<ResponseFinalizer>().FinalizeDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One bad tick must not stop the worker; the next minute tries again.
                log.LogError(e, "Finalizing provisional responses failed");
            }
        }
    }
}
