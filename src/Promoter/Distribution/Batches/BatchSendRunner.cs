using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Distribution.Contacts;
using Promoter.Distribution.Invitations;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter.Distribution.Batches;

/// <summary>
/// Works through batch jobs on any node (server worker or CLI). A job is leased with one conditional UPDATE; each chunk
/// of contacts is invited in ONE transaction that first renews the lease (the UPDATE fails if another node took the
/// job over), then creates the invitations with their outbox mail through <see cref="InvitationScheduler"/> and moves
/// the job's cursor. A crash loses at most the chunk in flight, which the next lease redoes; the unique
/// (send, contact, round) index on invitations makes a double invitation impossible even then.
/// </summary>
public sealed partial class BatchSendRunner(IServiceScopeFactory scopes, TimeProvider clock, IOptions<BatchSendOptions> options, ILogger<BatchSendRunner> log)
{
    private readonly Guid _node = Guid.NewGuid();

    /// <summary>Leases and completes every job that is due; returns how many chunks were committed.</summary>
    public async Task<int> RunDueAsync(CancellationToken ct)
    {
        var chunks = 0;
        while (await ClaimNextAsync(ct) is { } job)
        {
            chunks += await RunLeasedAsync(job.Id, job.WorkspaceId, null, ct);
        }

        return chunks;
    }

    /// <summary>
    /// Works on one job until it is done (the CLI): leases it whenever it is free, otherwise waits for the node that
    /// holds it. <paramref name="progress"/> sees each committed chunk.
    /// </summary>
    public async Task<BatchJobStatus> RunToEndAsync(Guid jobId, Guid workspaceId, Action<BatchJob>? progress, CancellationToken ct)
    {
        while (true)
        {
            if (await TryLeaseAsync(jobId, ct))
            {
                await RunLeasedAsync(jobId, workspaceId, progress, ct);
            }

            var job = await ReadAsync(jobId, workspaceId, ct);
            progress?.Invoke(job);
            if (job.Status is BatchJobStatus.Done or BatchJobStatus.Failed or BatchJobStatus.Cancelled)
            {
                return job.Status;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), clock, ct);
        }
    }

    private async Task<(Guid Id, Guid WorkspaceId)?> ClaimNextAsync(CancellationToken ct)
    {
        List<(Guid Id, Guid WorkspaceId)> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
            due = (await CrossWorkspaceQueries.DueBatchJobs(db, Now()).OrderBy(j => j.CreatedAt).Take(10)
                .Select(j => new { j.Id, j.WorkspaceId }).ToListAsync(ct)).Select(j => (j.Id, j.WorkspaceId)).ToList();
        }

        foreach (var job in due)
        {
            if (await TryLeaseAsync(job.Id, ct))
            {
                return job;
            }
        }

        return null;
    }

    private async Task<bool> TryLeaseAsync(Guid jobId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
        var now = Now();
        var until = now.AddSeconds(options.Value.LeaseSeconds);
        return await CrossWorkspaceQueries.DueBatchJobs(db, now).Where(j => j.Id == jobId)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseOwner, _node).SetProperty(j => j.LeaseUntil, until)
                .SetProperty(j => j.Status, BatchJobStatus.Running).SetProperty(j => j.UpdatedAt, now), ct) == 1;
    }

    private async Task<int> RunLeasedAsync(Guid jobId, Guid workspaceId, Action<BatchJob>? progress, CancellationToken ct)
    {
        var chunks = 0;
        while (true)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
            bool more;
            try
            {
                (more, var job) = await RunChunkAsync(scope.ServiceProvider, jobId, ct);
                if (job is null)
                {
                    return chunks; // the lease was lost to another node
                }

                chunks++;
                progress?.Invoke(job);
            }
            catch (DomainException e)
            {
                // The survey was closed or deleted meanwhile: nothing more can be sent; say why on the job.
                await FailAsync(jobId, workspaceId, e.Message, ct);
                return chunks;
            }

            if (!more)
            {
                return chunks;
            }
        }
    }

    /// <summary>One transaction: renew the lease, invite the next chunk, move the cursor. Null job: the lease is gone.</summary>
    private async Task<(bool More, BatchJob? Job)> RunChunkAsync(IServiceProvider services, Guid jobId, CancellationToken ct)
    {
        var db = services.GetRequiredService<PromoterDb>();
        var scheduler = services.GetRequiredService<InvitationScheduler>();
        var batches = services.GetRequiredService<BatchSends>();
        var now = Now();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var renewed = await db.BatchJobs.Where(j => j.Id == jobId && j.LeaseOwner == _node && j.Status == BatchJobStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseUntil, now.AddSeconds(options.Value.LeaseSeconds)), ct);
        if (renewed == 0)
        {
            return (false, null);
        }

        var job = await db.BatchJobs.SingleAsync(j => j.Id == jobId, ct);
        var errors = new FieldErrors();
        var filter = ParseFilter(job.Filter, errors);
        var recipients = batches.Recipients(filter, job.CreatedAt);
        if (job.LastContactId is { } after)
        {
            recipients = recipients.Where(c => c.Id > after);
        }

        var chunk = await recipients.AsNoTracking().OrderBy(c => c.Id).Take(options.Value.ChunkSize).ToListAsync(ct);
        var outcome = await scheduler.ScheduleBatchAsync(job.SurveyId, chunk, job.SendId, ct);
        job.Queued += outcome.Queued;
        job.Skipped += outcome.Skipped;
        job.UpdatedAt = now;
        var more = chunk.Count == options.Value.ChunkSize;
        if (chunk.Count > 0)
        {
            job.LastContactId = chunk[^1].Id;
        }

        if (!more)
        {
            job.Status = BatchJobStatus.Done;
            job.FinishedAt = now;
            job.LeaseOwner = null;
            job.LeaseUntil = null;
            var send = await db.Sends.SingleAsync(s => s.Id == job.SendId, ct);
            send.Active = false;
            send.FinishedAt = now;
            send.UpdatedAt = now;
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        services.GetRequiredService<EmailOutbox>().Notify();
        ChunkDone(log, job.Id, chunk.Count, job.Queued + job.Skipped, job.Planned);
        return (more, job);
    }

    private async Task FailAsync(Guid jobId, Guid workspaceId, string error, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
        var now = Now();
        await db.BatchJobs.Where(j => j.Id == jobId && j.LeaseOwner == _node).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, BatchJobStatus.Failed).SetProperty(j => j.Error, error).SetProperty(j => j.FinishedAt, now)
            .SetProperty(j => j.LeaseOwner, (Guid?)null).SetProperty(j => j.LeaseUntil, (DateTime?)null).SetProperty(j => j.UpdatedAt, now), ct);
        await db.Sends.Where(s => s.Id == jobId).ExecuteUpdateAsync(s => s.SetProperty(x => x.Active, false).SetProperty(x => x.FinishedAt, now), ct);
    }

    private async Task<BatchJob> ReadAsync(Guid jobId, Guid workspaceId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
        return await scope.ServiceProvider.GetRequiredService<PromoterDb>().BatchJobs.AsNoTracking().SingleAsync(j => j.Id == jobId, ct);
    }

    private static readonly HashSet<string> s_filterKeys = new(["email", "name", "locale", "property", "createdFrom", "createdTo"], StringComparer.OrdinalIgnoreCase);

    /// <summary>The stored filter; it was valid when stored, so errors here mean the rules changed since.</summary>
    public static ContactFilter ParseFilter(string query, FieldErrors errors)
    {
        var pairs = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query);
        // An ignored key would widen the send to everyone, so a typo ("plan=gold" for "property=plan:gold") is refused.
        foreach (var key in pairs.Keys.Where(k => !s_filterKeys.Contains(k)))
        {
            errors.Add(key, "is not a contact filter: use email, name, locale, property (NAME:VALUE), createdFrom or createdTo.");
        }

        string? Get(string key) => pairs.TryGetValue(key, out var v) ? v.ToString() : null;
        return ContactFilter.Parse(Get("email"), Get("name"), Get("locale"), Get("property"), Get("createdFrom"), Get("createdTo"), errors);
    }

    private DateTime Now()
    {
        var utc = clock.GetUtcNow().UtcDateTime;
        return utc.AddTicks(-(utc.Ticks % 10));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Batch {JobId}: invited a chunk of {Count}, {Processed}/{Planned} done")]
    private static partial void ChunkDone(ILogger logger, Guid jobId, int count, int processed, int planned);
}

/// <summary>Runs due batch jobs on this node: on a poll, and at once when one is started here.</summary>
public sealed partial class BatchSendWorker(BatchSendRunner runner, BatchSendSignal signal, IOptions<BatchSendOptions> options, ILogger<BatchSendWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await runner.RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // A failing database must not stop the worker; the lease lapses and the next poll resumes the job.
                RunFailed(log, e);
            }

            await signal.WaitAsync(TimeSpan.FromSeconds(options.Value.PollSeconds), stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Running batch sends failed")]
    private static partial void RunFailed(ILogger logger, Exception e);
}
