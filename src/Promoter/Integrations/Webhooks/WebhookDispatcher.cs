using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Accounts;
using Promoter.Data;

namespace Promoter.Integrations.Webhooks;

/// <summary>
/// Delivers due webhook deliveries, at least once, from any number of nodes. A run claims a batch with a lease (one
/// conditional UPDATE that works the same on SQLite and PostgreSQL), then sends each delivery in a scope bound to its
/// workspace, records the attempt and schedules the next one. A node that dies mid-send loses its lease after
/// <see cref="Lease"/> and another node sends again, with the same <c>webhook-id</c> and body.
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopes, WebhookSender sender, WebhookUrls urls, TimeProvider clock, IOptions<WebhooksOptions> options, ILogger<WebhookDispatcher> log)
{
    public const int BatchSize = 64;

    // 16 per endpoint and 4 at a time take at most 4 × 15 s, well inside the lease, even when a receiver hangs.
    public const int PerEndpointPerBatch = 16;
    public const int PerEndpointConcurrency = 4;
    public const int Parallelism = 16;
    public static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    private const int MaxRounds = 100;

    private sealed record Claimed(long Id, Guid WorkspaceId, Guid EndpointId);

    /// <summary>Sends everything due now; returns how many deliveries were attempted.</summary>
    public async Task<int> DispatchDueAsync(CancellationToken ct)
    {
        var attempted = 0;
        for (var round = 0; round < MaxRounds; round++)
        {
            var lease = Guid.NewGuid();
            var claimed = await ClaimAsync(lease, ct);
            if (claimed.Count == 0)
            {
                break;
            }

            var gates = claimed.Select(c => c.EndpointId).Distinct().ToDictionary(id => id, _ => new SemaphoreSlim(PerEndpointConcurrency));
            try
            {
                await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct }, async (delivery, token) =>
                {
                    var gate = gates[delivery.EndpointId];
                    await gate.WaitAsync(token);
                    try
                    {
                        await AttemptSafelyAsync(delivery, lease, token);
                    }
                    finally
                    {
                        gate.Release();
                    }
                });
            }
            finally
            {
                foreach (var gate in gates.Values)
                {
                    gate.Dispose();
                }
            }

            attempted += claimed.Count;
        }

        return attempted;
    }

    private async Task<List<Claimed>> ClaimAsync(Guid lease, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var candidates = await CrossWorkspaceQueries.DueWebhookDeliveries(db, now)
            .OrderBy(d => d.NextAttemptAt).ThenBy(d => d.Id).Take(BatchSize * 4)
            .Select(d => new { d.Id, d.EndpointId }).ToListAsync(ct);
        // A busy endpoint must not fill the batch while other workspaces' deliveries wait.
        var picked = candidates.GroupBy(c => c.EndpointId).SelectMany(g => g.Take(PerEndpointPerBatch)).Take(BatchSize).Select(c => c.Id).ToList();
        if (picked.Count == 0)
        {
            return [];
        }

        var until = now + Lease;
        // Re-checking "due and unleased" in the UPDATE itself is the claim: a row another node leased meanwhile no longer matches.
        await CrossWorkspaceQueries.DueWebhookDeliveries(db, now).Where(d => picked.Contains(d.Id))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.LeaseOwner, lease).SetProperty(d => d.LeaseUntil, until), ct);
        return await CrossWorkspaceQueries.WebhookDeliveriesLeasedBy(db, lease)
            .Select(d => new Claimed(d.Id, d.WorkspaceId, d.EndpointId)).ToListAsync(ct);
    }

    private async Task AttemptSafelyAsync(Claimed claimed, Guid lease, CancellationToken ct)
    {
        try
        {
            await AttemptAsync(claimed, lease, ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            LeaseLost(log, claimed.Id);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The lease runs out and the delivery is tried again; one bad row never stops the others.
            AttemptFailed(log, e, claimed.Id);
        }
    }

    private async Task AttemptAsync(Claimed claimed, Guid lease, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var services = scope.ServiceProvider;
        services.GetRequiredService<WorkspaceContext>().Enter(claimed.WorkspaceId);
        var db = services.GetRequiredService<PromoterDb>();
        var delivery = await db.WebhookDeliveries.Include(d => d.Event).SingleOrDefaultAsync(d => d.Id == claimed.Id && d.LeaseOwner == lease, ct);
        if (delivery?.Event is not { } e)
        {
            return;
        }

        var endpoint = await db.WebhookEndpoints.AsNoTracking().SingleAsync(x => x.Id == delivery.EndpointId, ct);
        var now = clock.GetUtcNow();
        if (!endpoint.Enabled)
        {
            // Disabled since the claim: the delivery waits, untouched, until someone enables the endpoint again.
            delivery.LeaseOwner = null;
            delivery.LeaseUntil = null;
            await db.SaveChangesAsync(ct);
            return;
        }

        if (delivery.Body is null)
        {
            var rendered = await services.GetRequiredService<WebhookPayloads>().RenderAsync(e, endpoint.Format, ct);
            if (rendered is null)
            {
                Complete(delivery, WebhookDeliveryStatus.Failed, now.UtcDateTime);
                delivery.LastError = "The resource no longer exists (erased); nothing was sent.";
                await db.SaveChangesAsync(ct);
                return;
            }

            // Stored before the first send, so every retry and replay sends exactly these bytes.
            delivery.Body = rendered;
            await db.SaveChangesAsync(ct);
        }

        var outcome = await SendAsync(endpoint, e.MessageId, delivery.Body, now, services.GetRequiredService<WebhookSecrets>(), ct);
        await RecordAsync(db, services, delivery, endpoint, outcome, now, ct);
    }

    private async Task<SendOutcome> SendAsync(WebhookEndpoint endpoint, string messageId, string body, DateTimeOffset now, WebhookSecrets secrets, CancellationToken ct)
    {
        if (!Uri.TryCreate(endpoint.Url, UriKind.Absolute, out var url))
        {
            return new SendOutcome(null, "Refused: the stored URL is not absolute.", null, TimeSpan.Zero, null);
        }

        // Settings may have changed since the URL was saved (Webhooks:AllowHttp turned off).
        if (urls.SchemeRefusal(url) is not null)
        {
            return new SendOutcome(null, $"Refused: {url.Scheme} URLs are not allowed on this server; use https.", null, TimeSpan.Zero, null);
        }

        var timestamp = now.ToUnixTimeSeconds();
        KeyValuePair<string, string>[] headers =
        [
            new("webhook-id", messageId),
            new("webhook-timestamp", timestamp.ToString(CultureInfo.InvariantCulture)),
            new("webhook-signature", WebhookSignature.Header(secrets.SigningSecrets(endpoint, now.UtcDateTime), messageId, timestamp, body)),
        ];
        return await sender.SendAsync(url, body, headers, ct);
    }

    private static async Task RecordAsync(PromoterDb db, IServiceProvider services, WebhookDelivery delivery, WebhookEndpoint endpoint, SendOutcome outcome,
        DateTimeOffset now, CancellationToken ct)
    {
        var at = now.UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        delivery.Attempts++;
        db.WebhookAttempts.Add(new WebhookAttempt
        {
            DeliveryId = delivery.Id,
            Number = delivery.Attempts,
            AttemptedAt = at,
            DurationMs = (int)Math.Min(int.MaxValue, outcome.Duration.TotalMilliseconds),
            StatusCode = outcome.StatusCode,
            Succeeded = outcome.Succeeded,
            Error = Truncate(outcome.Error),
            ResponseBody = outcome.ResponseStart,
        });
        delivery.LastAttemptAt = at;
        delivery.LastStatusCode = outcome.StatusCode;
        delivery.LastError = Truncate(outcome.Error);
        delivery.LeaseOwner = null;
        delivery.LeaseUntil = null;

        // Endpoint state changes are single conditional UPDATEs, so parallel attempts to one endpoint cannot undo each other.
        var target = db.WebhookEndpoints.Where(x => x.Id == endpoint.Id);
        WebhookDisabledReason? disabled = null;
        if (outcome.Succeeded)
        {
            Complete(delivery, WebhookDeliveryStatus.Succeeded, at);
            await target.ExecuteUpdateAsync(s => s.SetProperty(x => x.FailingSince, (DateTime?)null).SetProperty(x => x.LastSuccessAt, at), ct);
        }
        else
        {
            await target.ExecuteUpdateAsync(s => s.SetProperty(x => x.FailingSince, x => x.FailingSince ?? at), ct);
            if (outcome.StatusCode == StatusCodes.Status410Gone)
            {
                // The receiver asked for no more webhooks: stop at once.
                Complete(delivery, WebhookDeliveryStatus.Failed, at);
                disabled = await DisableAsync(target, WebhookDisabledReason.Gone, at, ct);
            }
            else if (RetrySchedule.DelayAfter(delivery.Attempts, Random.Shared.NextDouble()) is { } delay)
            {
                var asked = RetrySchedule.RetryAfter(outcome.RetryAfter, now);
                delivery.NextAttemptAt = at + (asked > delay ? asked.Value : delay);
            }
            else
            {
                Complete(delivery, WebhookDeliveryStatus.Failed, at);
            }

            var failingCutoff = at - WebhookEndpoint.FailingPeriod;
            disabled ??= await DisableAsync(target.Where(x => x.FailingSince <= failingCutoff), WebhookDisabledReason.Failing, at, ct);
        }

        if (disabled is { } reason)
        {
            await NoteDisabledAsync(db, services, endpoint, reason, at, ct);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static async Task<WebhookDisabledReason?> DisableAsync(IQueryable<WebhookEndpoint> target, WebhookDisabledReason reason, DateTime at, CancellationToken ct) =>
        await target.Where(x => x.Enabled).ExecuteUpdateAsync(s => s
            .SetProperty(x => x.Enabled, false)
            .SetProperty(x => x.DisabledReason, reason)
            .SetProperty(x => x.DisabledAt, at)
            .SetProperty(x => x.UpdatedAt, at), ct) == 1 ? reason : null;

    private static async Task NoteDisabledAsync(PromoterDb db, IServiceProvider services, WebhookEndpoint endpoint, WebhookDisabledReason reason, DateTime at, CancellationToken ct)
    {
        var why = reason == WebhookDisabledReason.Gone
            ? "the receiver answered 410 Gone"
            : $"every attempt failed for {WebhookEndpoint.FailingPeriod.TotalDays:0} days";
        services.GetRequiredService<AuditLog>().Record("webhook.disabled", $"webhook:{endpoint.Id}", $"Disabled {endpoint.Url}: {why}.", AuditLog.System);
        var recipients = await db.Memberships.Where(m => m.Role == Role.Owner || m.Role == Role.Admin)
            .Select(m => m.User!.Email).OrderBy(email => email).ToListAsync(ct);
        await services.GetRequiredService<IWebhookAlerts>().EndpointDisabledAsync(
            new WebhookDisabledAlert(endpoint.WorkspaceId, endpoint.Id, endpoint.Url, reason, at, recipients), ct);
    }

    private static void Complete(WebhookDelivery delivery, WebhookDeliveryStatus status, DateTime at)
    {
        delivery.Status = status;
        delivery.CompletedAt = at;
        delivery.LeaseOwner = null;
        delivery.LeaseUntil = null;
    }

    private static string? Truncate(string? text) => text is { Length: > 1000 } ? text[..1000] : text;

    /// <summary>Deletes events (with their deliveries and attempts) older than the retention period that have nothing left to send.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
        var cutoff = clock.GetUtcNow().UtcDateTime - TimeSpan.FromDays(options.Value.RetentionDays);
        return await CrossWorkspaceQueries.ExpiredWebhookEvents(db, cutoff).ExecuteDeleteAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook delivery {DeliveryId}: the lease ran out before the attempt was recorded; another node owns it now")]
    private static partial void LeaseLost(ILogger logger, long deliveryId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook delivery {DeliveryId} failed inside the dispatcher; it is retried when its lease expires")]
    private static partial void AttemptFailed(ILogger logger, Exception e, long deliveryId);
}
