using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Integrations.Webhooks;

/// <summary>Reading an endpoint's deliveries and attempts, and sending one again.</summary>
public sealed class WebhookDeliveryLog(PromoterDb db, AuditLog audit, TimeProvider clock)
{
    public const int MaxPage = 200;

    public async Task<DeliveryPage> ListAsync(Guid endpointId, WebhookDeliveryStatus? status, long? before, int limit, CancellationToken ct)
    {
        await EnsureEndpointAsync(endpointId, ct);
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.EndpointId == endpointId);
        if (status is { } s)
        {
            query = query.Where(d => d.Status == s);
        }

        if (before is { } b)
        {
            query = query.Where(d => d.Id < b);
        }

        var rows = await Project(query.OrderByDescending(d => d.Id).Take(limit + 1)).ToListAsync(ct);
        var page = rows.Take(limit).ToList();
        return new DeliveryPage(page, rows.Count > limit ? page[^1].Id : null);
    }

    public async Task<DeliveryDetailDto> GetAsync(Guid endpointId, long deliveryId, CancellationToken ct)
    {
        var query = db.WebhookDeliveries.AsNoTracking().Where(d => d.Id == deliveryId && d.EndpointId == endpointId);
        var delivery = await Project(query).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("delivery");
        var body = await query.Select(d => d.Body).SingleAsync(ct);
        var attempts = await db.WebhookAttempts.AsNoTracking().Where(a => a.DeliveryId == deliveryId).OrderBy(a => a.Number)
            .Select(a => new AttemptDto(a.Number, a.AttemptedAt, a.DurationMs, a.StatusCode, a.Succeeded, a.Error, a.ResponseBody)).ToListAsync(ct);
        return new DeliveryDetailDto(delivery, body, attempts);
    }

    /// <summary>
    /// Queues the event for the endpoint once more, due now: same <c>webhook-id</c> and, once rendered, the same body bytes,
    /// so a receiver that already processed it can recognise the duplicate.
    /// </summary>
    public async Task<DeliveryDto> ReplayAsync(Guid endpointId, long deliveryId, CancellationToken ct)
    {
        var enabled = await db.WebhookEndpoints.Where(e => e.Id == endpointId).Select(e => (bool?)e.Enabled).SingleOrDefaultAsync(ct)
                      ?? throw new NotFoundException("webhook");
        var original = await db.WebhookDeliveries.AsNoTracking().SingleOrDefaultAsync(d => d.Id == deliveryId && d.EndpointId == endpointId, ct)
                       ?? throw new NotFoundException("delivery");
        if (!enabled)
        {
            throw new ConflictException("webhook_disabled", "The endpoint is disabled; enable it before replaying deliveries to it.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var replay = new WebhookDelivery
        {
            EndpointId = endpointId,
            EventId = original.EventId,
            Status = WebhookDeliveryStatus.Pending,
            NextAttemptAt = now,
            CreatedAt = now,
            Body = original.Body,
            ReplayOf = original.Id,
        };
        db.WebhookDeliveries.Add(replay);
        audit.Record("webhook.replayed", $"webhook:{endpointId}", $"delivery {original.Id}");
        await db.SaveChangesAsync(ct);
        return await Project(db.WebhookDeliveries.AsNoTracking().Where(d => d.Id == replay.Id)).SingleAsync(ct);
    }

    private async Task EnsureEndpointAsync(Guid endpointId, CancellationToken ct)
    {
        if (!await db.WebhookEndpoints.AnyAsync(e => e.Id == endpointId, ct))
        {
            throw new NotFoundException("webhook");
        }
    }

    private static IQueryable<DeliveryDto> Project(IQueryable<WebhookDelivery> query) => query.Select(d => new DeliveryDto(
        d.Id, d.Event!.MessageId, d.Event.Type, d.Event.ResourceId, d.Status, d.Attempts,
        d.Status == WebhookDeliveryStatus.Pending ? d.NextAttemptAt : null,
        d.LastAttemptAt, d.LastStatusCode, d.LastError, d.CreatedAt, d.CompletedAt, d.ReplayOf));
}
