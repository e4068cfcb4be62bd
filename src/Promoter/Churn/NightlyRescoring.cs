using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Accounts;
using Promoter.Data;

namespace Promoter.Churn;

/// <summary>
/// The nightly refit and rescoring of every workspace, for the time-based signals (silence, overdue days, unanswered
/// invitations). Once per night even with several nodes: each (workspace, night) has one <see cref="ChurnRun"/> row
/// (unique), a node claims it with a conditional UPDATE of its lease, and every chunk of contacts commits its scores
/// together with the run's cursor, so a crashed node's run is taken over where it stopped (resumable).
/// </summary>
public sealed class NightlyRescoring(IServiceScopeFactory scopes, TimeProvider clock, IOptions<ChurnOptions> options, ILogger<NightlyRescoring> log)
{
    private readonly string _node = Environment.MachineName + ":" + Guid.NewGuid().ToString("N")[..8];

    /// <summary>The night a time belongs to: nights start at <see cref="ChurnOptions.NightlyHourUtc"/>, so it is the UTC date of time − that hour.</summary>
    public DateTime NightOf(DateTime utc) => utc.AddHours(-options.Value.NightlyHourUtc).Date;

    /// <summary>Starts tonight's runs that are missing and works on claimable runs until none is left; returns contacts rescored.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        await StartMissingRunsAsync(ct);
        var total = 0;
        while (await ClaimAsync(ct) is { } claimed)
        {
            total += await RunAsync(claimed.Id, claimed.WorkspaceId, ct);
        }

        return total;
    }

    private async Task StartMissingRunsAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var night = NightOf(now);
        List<Guid> missing;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
            var started = CrossWorkspaceQueries.ChurnRunsOfNight(db, night).Select(r => r.WorkspaceId);
            missing = await db.Workspaces.AsNoTracking().Where(w => !started.Contains(w.Id)).Select(w => w.Id).ToListAsync(ct);
        }

        foreach (var workspaceId in missing)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
            var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
            db.ChurnRuns.Add(new ChurnRun { Id = Guid.CreateVersion7(), WorkspaceId = workspaceId, Night = night, StartedAt = now });
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException)
            {
                // Another node started this workspace's night first: the unique (workspace, night) index said so.
            }
        }
    }

    private async Task<(Guid Id, Guid WorkspaceId)?> ClaimAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await CrossWorkspaceQueries.DueChurnRuns(db, now).OrderBy(r => r.StartedAt).Select(r => new { r.Id, r.WorkspaceId }).Take(5).ToListAsync(ct);
        foreach (var candidate in candidates)
        {
            var until = now.AddSeconds(options.Value.LeaseSeconds);
            var won = await CrossWorkspaceQueries.DueChurnRuns(db, now).Where(r => r.Id == candidate.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(r => r.LeaseOwner, _node).SetProperty(r => r.LeaseUntil, until), ct);
            if (won == 1)
            {
                return (candidate.Id, candidate.WorkspaceId);
            }
        }

        return null;
    }

    private async Task<int> RunAsync(Guid runId, Guid workspaceId, CancellationToken ct)
    {
        var done = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
            var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var run = await db.ChurnRuns.SingleOrDefaultAsync(r => r.Id == runId && r.LeaseOwner == _node, ct);
            if (run is null || run.FinishedAt is not null)
            {
                // Lost the lease to another node (this one was too slow), or finished: stop without writing.
                return done;
            }

            if (run.Cursor is null && run.Done == 0)
            {
                // First chunk: refit on the latest churn events so tonight's scores use tonight's model.
                await scope.ServiceProvider.GetRequiredService<ChurnModelFitter>().FitAsync(ct);
            }

            var contacts = db.Contacts.AsNoTracking();
            if (run.Cursor is { } cursor)
            {
                contacts = contacts.Where(c => c.Id > cursor);
            }

            var ids = await contacts.OrderBy(c => c.Id).Select(c => c.Id).Take(options.Value.ChunkSize).ToListAsync(ct);
            var now = clock.GetUtcNow().UtcDateTime;
            if (ids.Count > 0)
            {
                done += await scope.ServiceProvider.GetRequiredService<ContactRiskScorer>().RescoreAsync(ids, ct);
                run.Cursor = ids[^1];
                run.Done += ids.Count;
                run.LeaseUntil = now.AddSeconds(options.Value.LeaseSeconds);
            }

            if (ids.Count < options.Value.ChunkSize)
            {
                run.FinishedAt = now;
                run.LeaseOwner = null;
                run.LeaseUntil = null;
            }

            await db.SaveChangesAsync(ct);
            await tx.CommitAsync(ct);
            if (run.FinishedAt is not null)
            {
                log.LogInformation("Nightly churn rescoring of workspace {WorkspaceId} finished: {Done} contacts", workspaceId, run.Done);
                return done;
            }
        }
    }
}

/// <summary>Runs <see cref="NightlyRescoring"/> every poll interval; a night that has started is picked up within one interval.</summary>
public sealed class ChurnWorker(NightlyRescoring nightly, TimeProvider clock, IOptions<ChurnOptions> options, ILogger<ChurnWorker> log) : BackgroundService
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
            try
            {
                await nightly.RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One bad round must not stop the worker; the run's lease lapses and the next round takes it over.
                log.LogError(e, "A nightly churn round failed");
            }

            await Task.Delay(poll, clock, stoppingToken);
        }
    }
}
