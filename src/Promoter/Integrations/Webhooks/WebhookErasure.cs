using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Distribution;

namespace Promoter.Integrations.Webhooks;

/// <summary>
/// What webhook storage keeps about a person, removed when the person is erased. Response events go with their
/// responses (a trigger deletes them, with their deliveries and attempts); this removes the rest: the payloads of
/// case and unsubscribe events, the bodies of their deliveries, and what receivers answered to them. Those events and
/// deliveries stay (ids, types, times, statuses) until the retention period ends, so the delivery log still adds up;
/// anything still pending finds nothing to render and ends unsent. Run it in the erasure's transaction, before the
/// responses and cases are deleted: it finds the cases through them.
/// </summary>
public static class WebhookErasure
{
    public static async Task EraseAsync(PromoterDb db, Contact contact, CancellationToken ct)
    {
        var responseIds = await db.Responses.Where(r => r.ContactId == contact.Id).Select(r => r.Id).ToListAsync(ct);
        var cases = (await db.Cases.Where(c => c.ContactId == contact.Id || EF.Parameter(responseIds).Contains(c.ResponseId)).Select(c => c.Id).ToListAsync(ct))
            .Select(id => id.ToString()).ToList();
        // An unsubscribe before the contact existed is keyed by the email address.
        List<string> contactKeys = contact.EmailKey is { } key ? [contact.Id.ToString(), key] : [contact.Id.ToString()];

        var events = db.WebhookEvents.Where(e =>
            (e.ResourceType == "case" && EF.Parameter(cases).Contains(e.ResourceId)) ||
            (e.ResourceType == "contact" && EF.Parameter(contactKeys).Contains(e.ResourceId)));
        var deliveries = db.WebhookDeliveries.Where(d => events.Select(e => e.Id).Contains(d.EventId));
        await db.WebhookAttempts.Where(a => deliveries.Select(d => d.Id).Contains(a.DeliveryId) && a.ResponseBody != null)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.ResponseBody, (string?)null), ct);
        await deliveries.Where(d => d.Body != null).ExecuteUpdateAsync(s => s.SetProperty(d => d.Body, (string?)null), ct);
        await events.Where(e => e.Payload != null).ExecuteUpdateAsync(s => s.SetProperty(e => e.Payload, (string?)null), ct);
    }
}
