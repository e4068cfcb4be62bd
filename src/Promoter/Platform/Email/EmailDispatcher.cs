using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Accounts;
using Promoter.Data;

namespace Promoter.Platform.Email;

/// <summary>
/// Sends due mail from the outbox, at least once, from any number of nodes. A run claims a batch with a lease (one
/// conditional UPDATE that works the same on SQLite and PostgreSQL), then handles each mail in a scope bound to its
/// workspace: expired or suppressed mail is closed without sending, composed kinds are written, the message goes to
/// the relay, and the outcome is recorded with the kind's own bookkeeping in one transaction. A node that dies
/// between the relay's 250 and that commit loses its lease; the mail goes once more with the same Message-ID.
/// </summary>
public sealed partial class EmailDispatcher(
    IServiceScopeFactory scopes, IEmailTransport transport, TimeProvider clock, IOptions<SmtpOptions> smtp, IOptions<EmailOptions> options,
    ILogger<EmailDispatcher> log)
{
    public const int BatchSize = 200;

    /// <summary>Long enough for a batch to trickle through a slow relay (each send times out after Smtp:TimeoutSeconds).</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(10);

    private const int MaxRounds = 1000;

    private sealed record Claimed(Guid Id, Guid WorkspaceId);

    /// <summary>Handles everything due now; returns how many mails were handled (sent, retried or closed).</summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        var handled = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var lease = Guid.NewGuid();
            var claimed = await ClaimAsync(lease, ct);
            if (claimed.Count == 0)
            {
                break;
            }

            await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = smtp.Value.MaxConnections, CancellationToken = ct },
                async (email, token) => await HandleSafelyAsync(email, lease, token));
            handled += claimed.Count;
        }

        return handled;
    }

    private async Task<List<Claimed>> ClaimAsync(Guid lease, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var picked = await CrossWorkspaceQueries.DueEmails(db, now)
            .OrderBy(e => e.NextAttemptAt).ThenBy(e => e.Id).Take(BatchSize).Select(e => e.Id).ToListAsync(ct);
        if (picked.Count == 0)
        {
            return [];
        }

        // Re-checking "due and unleased" in the UPDATE itself is the claim: a row another node leased meanwhile no longer matches.
        var until = now + Lease;
        await CrossWorkspaceQueries.DueEmails(db, now).Where(e => picked.Contains(e.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.LeaseOwner, lease).SetProperty(e => e.LeaseUntil, until), ct);
        return await CrossWorkspaceQueries.EmailsLeasedBy(db, lease).Select(e => new Claimed(e.Id, e.WorkspaceId)).ToListAsync(ct);
    }

    private async Task HandleSafelyAsync(Claimed claimed, Guid lease, CancellationToken ct)
    {
        try
        {
            await HandleAsync(claimed, lease, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            LeaseLost(log, claimed.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The lease runs out and the mail is tried again; one bad row never stops the others.
            HandleFailed(log, e, claimed.Id);
        }
    }

    private async Task HandleAsync(Claimed claimed, Guid lease, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<WorkspaceContext>().Enter(claimed.WorkspaceId);
        var db = services.GetRequiredService<PromoterDb>();
        var email = await db.Set<OutboundEmail>().SingleOrDefaultAsync(e => e.Id == claimed.Id && e.LeaseOwner == lease, ct);
        if (email is null)
        {
            return;
        }

        var composer = services.GetServices<IEmailComposer>().FirstOrDefault(c => c.Kind == email.Kind);
        var now = clock.GetUtcNow().UtcDateTime;
        if (now >= email.ExpiresAt)
        {
            await RecordAsync(db, composer, email, new EmailOutcome(EmailStatus.Expired, now, Expired(email)), ct);
            return;
        }

        var key = EmailAddresses.Key(email.ToAddress);
        var reasons = await db.Set<EmailSuppression>().Where(s => s.EmailKey == key).Select(s => s.Reason).ToListAsync(ct);
        if (reasons.Where(r => EmailSuppression.Blocks(r, email.Kind)).Select(r => (SuppressionReason?)r).FirstOrDefault() is { } reason)
        {
            await RecordAsync(db, composer, email, new EmailOutcome(EmailStatus.Suppressed, now, $"Not sent: the address is on the suppression list ({Wire(reason)})."), ct);
            return;
        }

        var composition = composer is null ? Stored(email) : await composer.ComposeAsync(email, ct);
        switch (composition)
        {
            case Composition.Skip skip:
                await RecordAsync(db, composer, email, new EmailOutcome(skip.Status, now, skip.Reason), ct);
                return;
            case Composition.Defer defer:
                email.NextAttemptAt = defer.Until;
                email.LastError = defer.Reason;
                Release(email);
                await db.SaveChangesAsync(ct);
                return;
            case Composition.Send send:
                var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == email.WorkspaceId, ct);
                var message = Message(email, send, workspace);
                var outcome = await SendAsync(message, email, ct);
                await RecordAsync(db, composer, email, outcome, ct, services);
                return;
        }
    }

    private EmailMessage Message(OutboundEmail email, Composition.Send send, Workspace workspace)
    {
        var from = smtp.Value.From ?? "promoter@localhost";
        var content = send.Content with { Subject = EmailHeaders.Flatten(send.Content.Subject) };
        var toName = send.ToName ?? email.ToName;
        return new EmailMessage(
            EmailHeaders.MessageId(email.Id, from),
            from,
            EmailHeaders.Flatten(workspace.SenderName ?? workspace.Name),
            email.ToAddress,
            toName is null ? null : EmailHeaders.Flatten(toName),
            email.ReplyTo ?? workspace.ReplyToEmail,
            content);
    }

    private async Task<EmailOutcome> SendAsync(EmailMessage message, OutboundEmail email, CancellationToken ct)
    {
        email.Attempts++;
        email.LastAttemptAt = clock.GetUtcNow().UtcDateTime;
        try
        {
            await transport.SendAsync(message, ct);
            return new EmailOutcome(EmailStatus.Sent, clock.GetUtcNow().UtcDateTime, null);
        }
        catch (EmailDeliveryException e)
        {
            var at = clock.GetUtcNow().UtcDateTime;
            email.LastReplyCode = e.ReplyCode;
            if (e.Permanent)
            {
                return new EmailOutcome(EmailStatus.Failed, at, e.Message, HardBounce: e.BadMailbox);
            }

            var next = at + EmailRetrySchedule.DelayAfter(email.Attempts, Random.Shared.NextDouble());
            return next >= email.ExpiresAt
                ? new EmailOutcome(EmailStatus.Expired, at, $"{e.Message} {Expired(email)}")
                : new EmailOutcome(EmailStatus.Pending, next, e.Message);
        }
    }

    private static async Task RecordAsync(PromoterDb db, IEmailComposer? composer, OutboundEmail email, EmailOutcome outcome, CancellationToken ct,
        IServiceProvider? services = null)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        email.Status = outcome.Status;
        email.LastError = Truncate(outcome.Error);
        if (outcome.Status == EmailStatus.Pending)
        {
            // For a retry, the outcome's time is when to try next.
            email.NextAttemptAt = outcome.At;
        }
        else
        {
            email.CompletedAt = outcome.At;
            email.SentAt = outcome.Status == EmailStatus.Sent ? outcome.At : null;
        }

        Release(email);
        if (outcome.HardBounce)
        {
            await SuppressAsync(db, email, outcome, ct);
        }

        if (outcome.Status == EmailStatus.Failed && email.LastReplyCode is >= 500 && services is not null && !outcome.HardBounce)
        {
            services.GetRequiredService<AuditLog>().Record("email.refused", $"email:{email.Id}", outcome.Error, AuditLog.System);
        }

        if (composer is not null)
        {
            await composer.RecordAsync(email, outcome, ct);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static async Task SuppressAsync(PromoterDb db, OutboundEmail email, EmailOutcome outcome, CancellationToken ct)
    {
        var key = EmailAddresses.Key(email.ToAddress);
        if (!await db.Set<EmailSuppression>().AnyAsync(s => s.EmailKey == key && s.Reason == SuppressionReason.HardBounce, ct))
        {
            db.Set<EmailSuppression>().Add(new EmailSuppression
            {
                EmailKey = key,
                Reason = SuppressionReason.HardBounce,
                Source = Truncate(outcome.Error, 64)!,
                CreatedAt = outcome.At,
            });
        }
    }

    /// <summary>A finished message as it was queued; for composers that only want to hear the outcome.</summary>
    public static Composition Stored(OutboundEmail email) =>
        email is { Subject: { } subject, HtmlBody: { } html, TextBody: { } text }
            ? new Composition.Send(new EmailContent(subject, html, text,
                email.Headers is null ? null : JsonSerializer.Deserialize<Dictionary<string, string>>(email.Headers)))
            : new Composition.Skip(EmailStatus.Failed, $"No composer for mail of kind '{email.Kind}' and no stored content.");

    private static void Release(OutboundEmail email)
    {
        email.LeaseOwner = null;
        email.LeaseUntil = null;
    }

    private string Expired(OutboundEmail email) => $"Not delivered within {options.Value.TtlHours} h; expired.";

    private static string Wire(SuppressionReason reason) => reason switch
    {
        SuppressionReason.Unsubscribed => "unsubscribed",
        SuppressionReason.HardBounce => "hard bounce",
        _ => "spam complaint",
    };

    private static string? Truncate(string? text, int max = 1000) => text is { } t && t.Length > max ? t[..max] : text;

    /// <summary>Deletes finished mail older than the retention period; pending mail is never purged.</summary>
    public async Task<int> PurgeFinishedAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
        var cutoff = clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(options.Value.RetentionDays);
        return await CrossWorkspaceQueries.FinishedEmailsBefore(db, cutoff).ExecuteDeleteAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {EmailId}: the lease ran out before the attempt was recorded; another node owns it now")]
    private static partial void LeaseLost(ILogger logger, Guid emailId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Email {EmailId} failed inside the dispatcher; it is tried again when its lease expires")]
    private static partial void HandleFailed(ILogger logger, Exception e, Guid emailId);
}
