using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Distribution.Contacts;
using Promoter.Distribution.Sending;
using Promoter.Platform;

namespace Promoter.Distribution.Batches;

public sealed record BatchProgress(Guid Id, Guid SurveyId, string SurveyName, string Name, string Filter, BatchJobStatus Status, int Planned, int Queued, int Skipped,
    IReadOnlyDictionary<string, int> Invitations, string? Error, DateTime CreatedAt, DateTime? FinishedAt)
{
    /// <summary>Contacts dealt with so far (invited or recorded as skipped), out of <see cref="Planned"/>.</summary>
    public int Processed => Queued + Skipped;

    public int Percent => Planned == 0 ? 100 : (int)Math.Min(100, Processed * 100L / Planned);
}

/// <summary>
/// Starting one-off batch sends and reading their progress. Starting writes the send and its job row and returns at
/// once; the invitations are created by <see cref="BatchSendRunner"/> on whichever node leases the job.
/// </summary>
public sealed class BatchSends(PromoterDb db, ContactQueries contacts, AuditLog audit, TimeProvider clock, BatchSendSignal signal)
{
    public const int MaxName = 200;

    public async Task<BatchJob> StartAsync(Guid surveyId, string? name, ContactFilter filter, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var cleanName = TextInput.Line(name, "name", MaxName, errors);
        var survey = await db.Surveys.AsNoTracking().Where(s => s.Id == surveyId).Select(s => new { s.Id, s.Name, s.IsClosed }).SingleOrDefaultAsync(ct);
        if (survey is null)
        {
            errors.Add("surveyId", "Choose a survey of this workspace.");
        }

        errors.ThrowIfAny();
        if (survey!.IsClosed)
        {
            throw new ConflictException("survey_closed", "The survey is closed; it takes no new invitations.");
        }

        var now = Now();
        var planned = await Recipients(filter, now).CountAsync(ct);
        if (planned == 0)
        {
            throw new UnprocessableException("no_recipients", "No contact with an email address matches the filter.");
        }

        var id = Guid.CreateVersion7(clock.GetUtcNow());
        db.Sends.Add(new Send
        {
            Id = id,
            SurveyId = survey.Id,
            Kind = SendKind.Batch,
            Name = cleanName ?? $"{survey.Name} · {now:yyyy-MM-dd HH:mm}",
            Planned = planned,
            CreatedAt = now,
            UpdatedAt = now,
        });
        var job = new BatchJob
        {
            Id = id,
            SendId = id,
            SurveyId = survey.Id,
            Filter = filter.ToString(),
            Status = BatchJobStatus.Queued,
            Planned = planned,
            RequestedBy = audit.CurrentActor,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.BatchJobs.Add(job);
        audit.Record("send.batch_started", $"send:{id}", $"{planned} contacts; filter: {(job.Filter.Length == 0 ? "none" : job.Filter)}");
        await db.SaveChangesAsync(ct);
        signal.Notify();
        return job;
    }

    /// <summary>
    /// Stops a batch send: no further chunk is invited (the runner's lease renewal needs a running job), and every
    /// invitation of the send whose mail has not left yet is cancelled, so the dispatcher skips its mail. Mail already
    /// handed to the relay cannot be called back. Cancelling twice changes nothing.
    /// </summary>
    public async Task<BatchProgress> CancelAsync(Guid id, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = Now();
        // The job row first: this waits for a chunk in flight (it holds the row) and stops every later one; the
        // invitations are cancelled after it, so they include the rows of that chunk.
        var stopped = await db.BatchJobs.Where(j => j.Id == id && j.Status != BatchJobStatus.Cancelled).ExecuteUpdateAsync(s => s
            .SetProperty(j => j.Status, BatchJobStatus.Cancelled).SetProperty(j => j.LeaseOwner, (Guid?)null).SetProperty(j => j.LeaseUntil, (DateTime?)null)
            .SetProperty(j => j.FinishedAt, j => j.FinishedAt ?? now).SetProperty(j => j.UpdatedAt, now), ct);
        if (stopped == 0)
        {
            // Unknown here (404), or cancelled before: say where it stands.
            await tx.RollbackAsync(ct);
            return await ProgressAsync(id, ct);
        }

        await db.Sends.Where(s => s.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Active, false).SetProperty(x => x.FinishedAt, x => x.FinishedAt ?? now).SetProperty(x => x.UpdatedAt, now), ct);
        var cancelled = await db.Invitations.Where(i => i.SendId == id && i.Status == InvitationStatus.Scheduled).ExecuteUpdateAsync(s => s
            .SetProperty(i => i.Status, InvitationStatus.Cancelled).SetProperty(i => i.StatusReason, "Not sent: the batch send was cancelled."), ct);
        audit.Record("send.batch_cancelled", $"send:{id}", $"{cancelled} invitations not yet mailed were cancelled");
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return await ProgressAsync(id, ct);
    }

    /// <summary>The contacts a batch invites: matching the filter, with an email address, existing when it was started.</summary>
    public IQueryable<Contact> Recipients(ContactFilter filter, DateTime startedAt) =>
        contacts.Filtered(filter).Where(c => c.EmailKey != null && c.CreatedAt <= startedAt);

    public async Task<BatchProgress> ProgressAsync(Guid id, CancellationToken ct)
    {
        var row = await (from j in db.BatchJobs.AsNoTracking()
                         where j.Id == id
                         join s in db.Sends on j.SendId equals s.Id
                         join v in db.Surveys on j.SurveyId equals v.Id
                         select new { j, s.Name, Survey = v.Name }).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("batch send");
        var byStatus = await db.Invitations.AsNoTracking().Where(i => i.SendId == id).GroupBy(i => i.Status)
            .Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var job = row.j;
        return new BatchProgress(job.Id, job.SurveyId, row.Survey, row.Name, job.Filter, job.Status, job.Planned, job.Queued, job.Skipped,
            byStatus.ToDictionary(x => x.Key.ToString().ToLowerInvariant(), x => x.Count), job.Error, job.CreatedAt, job.FinishedAt);
    }

    public async Task<IReadOnlyList<BatchProgress>> RecentAsync(int count, CancellationToken ct)
    {
        var ids = await db.BatchJobs.AsNoTracking().OrderByDescending(j => j.CreatedAt).Take(count).Select(j => j.Id).ToListAsync(ct);
        var list = new List<BatchProgress>(ids.Count);
        foreach (var id in ids)
        {
            list.Add(await ProgressAsync(id, ct));
        }

        return list;
    }

    private DateTime Now()
    {
        var utc = clock.GetUtcNow().UtcDateTime;
        return utc.AddTicks(-(utc.Ticks % 10));
    }
}

/// <summary>Wakes the local worker when a batch is started, so it does not wait for its next poll.</summary>
public sealed class BatchSendSignal : IDisposable
{
    private readonly SemaphoreSlim _signal = new(0, 1);

    public void Notify()
    {
        try
        {
            _signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled.
        }
    }

    public Task<bool> WaitAsync(TimeSpan timeout, CancellationToken ct) => _signal.WaitAsync(timeout, ct);

    public void Dispose() => _signal.Dispose();
}
