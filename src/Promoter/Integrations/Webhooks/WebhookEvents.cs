using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Promoter.Data;

namespace Promoter.Integrations.Webhooks;

/// <summary>
/// How a feature emits a webhook event in its own transaction. Inject it and add one line before saving:
/// <code>
/// webhookEvents.Add(WebhookEventTypes.CaseCreated, theCase.Id.ToString(), CaseDto.From(theCase));
/// await db.SaveChangesAsync(ct);   // the event and its deliveries commit with the case, or not at all
/// </code>
/// The event joins the pending changes of the scope's <see cref="PromoterDb"/>; a database trigger fans it out to the
/// subscribed endpoints when it is inserted. Work done with <c>ExecuteUpdate</c> or raw SQL must open an explicit
/// transaction and call <c>SaveChangesAsync</c> inside it. The data object is serialized now (camelCase JSON) and
/// sent as the payload's <c>data</c>; its <c>version</c> is the event's sequence number.
/// </summary>
public sealed class WebhookEvents(PromoterDb db, TimeProvider clock)
{
    /// <summary>Standard Webhooks advises payloads under about 20 kB; this is the hard limit.</summary>
    public const int MaxPayloadBytes = 64 * 1024;

    public WebhookEvent Add(string type, string resourceId, object data)
    {
        if (!WebhookEventTypes.IsKnown(type) || WebhookEventTypes.IsResponseEvent(type))
        {
            // Response events come from the database triggers, so every write path emits them exactly once.
            throw new ArgumentException($"'{type}' is not an event a feature can add.", nameof(type));
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(resourceId);
        var payload = JsonSerializer.Serialize(data, WebhookJson.Options);
        if (Encoding.UTF8.GetByteCount(payload) > MaxPayloadBytes)
        {
            throw new ArgumentException($"A webhook payload is limited to {MaxPayloadBytes} bytes.", nameof(data));
        }

        var e = new WebhookEvent
        {
            MessageId = NewMessageId(),
            Type = type,
            ResourceType = WebhookEventTypes.ResourceOf(type),
            ResourceId = resourceId,
            Payload = payload,
            OccurredAt = clock.GetUtcNow().UtcDateTime,
        };
        db.WebhookEvents.Add(e);
        return e;
    }

    /// <summary>The same shape the triggers write: <c>msg_</c> and 128 random bits in hex.</summary>
    public static string NewMessageId() => "msg_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
}
