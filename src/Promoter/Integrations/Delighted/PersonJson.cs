using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Distribution;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// A contact as Delighted's person: <c>{id, email, name, created_at, phone_number, last_sent_at, last_responded_at,
/// next_survey_scheduled_at}</c>, the times read from the contact's invitations and responses in three grouped queries
/// per page, not per person.
/// </summary>
public static class PersonJson
{
    public sealed record Activity(DateTime? LastSentAt, DateTime? LastRespondedAt, DateTime? NextScheduledAt);

    public static async Task<Dictionary<Guid, Activity>> ActivityAsync(PromoterDb db, IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var list = ids.Distinct().ToList();
        var result = list.ToDictionary(id => id, _ => new Activity(null, null, null));
        if (list.Count == 0)
        {
            return result;
        }

        var sent = await db.Invitations.AsNoTracking().Where(i => list.Contains(i.ContactId) && i.SentAt != null)
            .GroupBy(i => i.ContactId).Select(g => new { g.Key, At = g.Max(i => i.SentAt) }).ToListAsync(ct);
        var next = await db.Invitations.AsNoTracking().Where(i => list.Contains(i.ContactId) && i.Status == InvitationStatus.Scheduled)
            .GroupBy(i => i.ContactId).Select(g => new { g.Key, At = g.Min(i => i.ScheduledAt) }).ToListAsync(ct);
        var responded = await db.Responses.AsNoTracking().Where(r => r.ContactId != null && list.Contains(r.ContactId.Value) && r.Status == ResponseStatus.Final)
            .GroupBy(r => r.ContactId!.Value).Select(g => new { g.Key, At = g.Max(r => r.RespondedAt) }).ToListAsync(ct);
        foreach (var s in sent)
        {
            result[s.Key] = result[s.Key] with { LastSentAt = s.At };
        }

        foreach (var n in next)
        {
            result[n.Key] = result[n.Key] with { NextScheduledAt = n.At };
        }

        foreach (var r in responded)
        {
            result[r.Key] = result[r.Key] with { LastRespondedAt = r.At };
        }

        return result;
    }

    public static JsonObject Write(Contact c, Activity? activity) => new()
    {
        ["id"] = c.Id.ToString(),
        ["email"] = c.Email,
        ["name"] = c.Name,
        ["created_at"] = DelightedJson.Unix(c.CreatedAt),
        ["phone_number"] = c.Phone,
        ["last_sent_at"] = DelightedJson.Unix(activity?.LastSentAt),
        ["last_responded_at"] = DelightedJson.Unix(activity?.LastRespondedAt),
        ["next_survey_scheduled_at"] = DelightedJson.Unix(activity?.NextScheduledAt),
    };

    public static async Task<JsonObject> LoadAsync(PromoterDb db, Contact contact, CancellationToken ct) =>
        Write(contact, (await ActivityAsync(db, [contact.Id], ct))[contact.Id]);
}
