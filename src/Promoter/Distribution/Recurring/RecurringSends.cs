using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Distribution.Invitations;
using Promoter.Platform;

namespace Promoter.Distribution.Recurring;

/// <summary>
/// Drives recurring relationship sends for every workspace: enrols contacts with an email address (each gets a slot
/// in the cycle, see <see cref="RecurringSlots"/>), then invites those whose round is due. A round is claimed by
/// moving the enrollment to the next one in the same transaction that records the invitation, so a crash loses
/// nothing and two nodes never invite twice (the unique (send, contact, round) index backs this up). Throttling,
/// suppression and quiet hours are the scheduler's, exactly as for any other invitation.
/// </summary>
public sealed partial class RecurringSends(IServiceScopeFactory scopes, TimeProvider clock, IOptions<DistributionOptions> options, ILogger<RecurringSends> log)
{
    public const int BatchSize = 500;

    public sealed record RunResult(int Enrolled, int Invited);

    public async Task<RunResult> RunDueAsync(CancellationToken ct)
    {
        var enrolled = await EnrolAsync(ct);
        var invited = 0;
        while (true)
        {
            var round = await InviteDueAsync(ct);
            invited += round.Invited;
            if (round.Picked < BatchSize)
            {
                return new RunResult(enrolled, invited);
            }
        }
    }

    private async Task<int> EnrolAsync(CancellationToken ct)
    {
        List<(Guid Id, Guid WorkspaceId)> sends;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
            sends = (await CrossWorkspaceQueries.ActiveRecurringSends(db).Select(s => new { s.Id, s.WorkspaceId }).ToListAsync(ct))
                .Select(s => (s.Id, s.WorkspaceId)).ToList();
        }

        var total = 0;
        foreach (var (sendId, workspaceId) in sends)
        {
            while (true)
            {
                var added = await EnrolBatchAsync(sendId, workspaceId, ct);
                total += added;
                if (added < BatchSize)
                {
                    break;
                }
            }
        }

        return total;
    }

    private async Task<int> EnrolBatchAsync(Guid sendId, Guid workspaceId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
        var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
        var send = await db.Sends.AsNoTracking().SingleAsync(s => s.Id == sendId, ct);
        var workspaceZone = await db.Workspaces.AsNoTracking().Where(w => w.Id == workspaceId).Select(w => w.TimeZone).SingleAsync(ct);
        var contacts = await db.Contacts.AsNoTracking()
            .Where(c => c.Email != null && !db.RecurringEnrollments.Any(e => e.SendId == sendId && e.ContactId == c.Id))
            .OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Take(BatchSize)
            .Select(c => new { c.Id, c.TimeZone }).ToListAsync(ct);
        if (contacts.Count == 0)
        {
            return 0;
        }

        var sequence = await db.RecurringEnrollments.CountAsync(e => e.SendId == sendId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var contact in contacts)
        {
            var zone = QuietHours.ZoneOf(contact.TimeZone, workspaceZone);
            db.RecurringEnrollments.Add(new RecurringEnrollment
            {
                SendId = sendId,
                ContactId = contact.Id,
                Sequence = sequence,
                NextDueAt = RecurringSlots.FirstDue(send.CreatedAt, send.EveryDays ?? 90, sequence, zone, options.Value, now),
                CreatedAt = now,
            });
            sequence++;
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e)
        {
            // Another node enrolled some of them at the same moment; the next run picks up whoever is still missing.
            EnrolRaced(log, e, sendId);
            return 0;
        }

        return contacts.Count;
    }

    private sealed record Due(Guid SendId, Guid ContactId, Guid WorkspaceId, int Occurrence, DateTime NextDueAt);

    private async Task<(int Picked, int Invited)> InviteDueAsync(CancellationToken ct)
    {
        List<Due> due;
        var now = clock.GetUtcNow().UtcDateTime;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
            due = await CrossWorkspaceQueries.DueRecurringEnrollments(db, now).OrderBy(e => e.NextDueAt).Take(BatchSize)
                .Select(e => new Due(e.SendId, e.ContactId, e.WorkspaceId, e.Occurrence, e.NextDueAt)).ToListAsync(ct);
        }

        var invited = 0;
        foreach (var group in due.GroupBy(d => d.WorkspaceId))
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(group.Key);
            foreach (var enrollment in group)
            {
                if (await InviteAsync(scope.ServiceProvider, enrollment, ct))
                {
                    invited++;
                }
            }
        }

        return (due.Count, invited);
    }

    /// <summary>Claims the round and records its invitation in one transaction; false when another node had it or nothing was due.</summary>
    private async Task<bool> InviteAsync(IServiceProvider services, Due due, CancellationToken ct)
    {
        var db = services.GetRequiredService<PromoterDb>();
        db.ChangeTracker.Clear();
        var send = await db.Sends.AsNoTracking().SingleAsync(s => s.Id == due.SendId, ct);
        var contact = await db.Contacts.AsNoTracking().SingleAsync(c => c.Id == due.ContactId, ct);
        var workspaceZone = await db.Workspaces.AsNoTracking().Where(w => w.Id == due.WorkspaceId).Select(w => w.TimeZone).SingleAsync(ct);
        var next = RecurringSlots.Next(due.NextDueAt, send.EveryDays ?? 90, QuietHours.ZoneOf(contact.TimeZone, workspaceZone));

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var claimed = await db.RecurringEnrollments
            .Where(e => e.SendId == due.SendId && e.ContactId == due.ContactId && e.Occurrence == due.Occurrence && e.NextDueAt == due.NextDueAt)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.NextDueAt, next).SetProperty(e => e.Occurrence, due.Occurrence + 1), ct);
        if (claimed == 0)
        {
            return false;
        }

        var invited = false;
        if (send.Active && contact.Email is not null)
        {
            try
            {
                await services.GetRequiredService<InvitationScheduler>().ScheduleAsync(send.SurveyId, contact, null, null, send.Id, due.Occurrence, ct);
                await db.SaveChangesAsync(ct);
                invited = true;
            }
            catch (DomainException e)
            {
                // A closed survey or an address that is no longer usable: this round is skipped, the next one tries again.
                RoundSkipped(log, send.Id, contact.Id, e.Message);
                db.ChangeTracker.Clear();
            }
        }

        await tx.CommitAsync(ct);
        return invited;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Recurring send {SendId}: enrolling raced with another node")]
    private static partial void EnrolRaced(ILogger logger, Exception e, Guid sendId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recurring send {SendId}: round for contact {ContactId} skipped: {Reason}")]
    private static partial void RoundSkipped(ILogger logger, Guid sendId, Guid contactId, string reason);
}

/// <summary>Runs <see cref="RecurringSends"/> every <see cref="DistributionOptions.RecurringPollSeconds"/> on the injected clock.</summary>
public sealed partial class RecurringSendWorker(RecurringSends sends, TimeProvider clock, IOptions<DistributionOptions> options, ILogger<RecurringSendWorker> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RecurringEnabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(options.Value.RecurringPollSeconds), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await sends.RunDueAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One bad round must not stop the worker; the next tick tries again.
                RoundFailed(log, e);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Running recurring sends failed")]
    private static partial void RoundFailed(ILogger logger, Exception e);
}
