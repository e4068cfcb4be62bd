using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Distribution;

namespace Promoter.Integrations.Webhooks;

/// <summary>
/// Renders a delivery's body on its first attempt, in the endpoint's format. Events from features carry their data;
/// response events are read from the response as it is now, together with its version: the number of the latest event
/// about it, taken in the same query so data and version always match. A consumer that keeps the highest version it
/// has applied can drop any payload with a lower one, whatever order retries arrive in.
/// </summary>
public sealed class WebhookPayloads(PromoterDb db)
{
    /// <summary>The body to send, or null when the resource no longer exists or its payload was erased after the event.</summary>
    public async Task<string?> RenderAsync(WebhookEvent e, WebhookFormat format, CancellationToken ct)
    {
        if (e.Payload is not null)
        {
            // Feature events are Promoter-shaped; Delighted endpoints cannot subscribe to them.
            return Envelope(e, e.Id, w => w.WriteRawValue(e.Payload));
        }

        if (!WebhookEventTypes.IsResponseEvent(e.Type))
        {
            return null; // a feature event whose payload was erased (WebhookErasure)
        }

        if (e.ResourceType != "response" || !long.TryParse(e.ResourceId, NumberStyles.None, CultureInfo.InvariantCulture, out var responseId))
        {
            throw new InvalidOperationException($"No renderer for {e.Type} events.");
        }

        var snapshot = await ResponseAsync(responseId, e.ResourceId, ct);
        if (snapshot is null)
        {
            return null;
        }

        return format == WebhookFormat.Delighted
            ? await DelightedPayload.RenderAsync(e, snapshot, db, ct)
            : Envelope(e, snapshot.Version, w => JsonSerializer.Serialize(w, ResponseDto.From(snapshot.Response, snapshot.Contact is { } c ? new ContactRef(c.Id, c.Email, c.Name) : null), WebhookJson.Options));
    }

    public sealed record ResponseSnapshot(SurveyResponse Response, Contact? Contact, long Version);

    private async Task<ResponseSnapshot?> ResponseAsync(long id, string resourceId, CancellationToken ct)
    {
        var row = await (from r in db.Responses.AsNoTracking()
                         where r.Id == id
                         join c in db.Contacts.AsNoTracking() on r.ContactId equals c.Id into contacts
                         from c in contacts.DefaultIfEmpty()
                         select new
                         {
                             r,
                             c,
                             Version = db.WebhookEvents.Where(x => x.ResourceType == "response" && x.ResourceId == resourceId).Max(x => (long?)x.Id),
                         }).SingleOrDefaultAsync(ct);
        return row is null ? null : new ResponseSnapshot(row.r, row.c, row.Version ?? 0);
    }

    /// <summary>Promoter's envelope, minified: <c>{"id","type","timestamp","version","data"}</c>.</summary>
    private static string Envelope(WebhookEvent e, long version, Action<Utf8JsonWriter> writeData)
    {
        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WebhookJson.Options.Encoder }))
        {
            w.WriteStartObject();
            w.WriteString("id", e.MessageId);
            w.WriteString("type", e.Type);
            w.WriteString("timestamp", DateTime.SpecifyKind(e.OccurredAt, DateTimeKind.Utc));
            w.WriteNumber("version", version);
            w.WritePropertyName("data");
            writeData(w);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
