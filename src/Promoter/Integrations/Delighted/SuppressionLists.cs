using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// <c>GET /v1/unsubscribes</c> and <c>GET /v1/bounces</c>: the workspace's suppression list by reason, oldest first,
/// page-number paged, each entry with the contact that has the address (<c>person_id</c> null when none does).
/// </summary>
internal static class SuppressionLists
{
    public static async Task<IResult> ListAsync(HttpRequest request, PromoterDb db, SuppressionReason reason, string timeField, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var page = DelightedInput.QueryInt(request.Query, "page", 1, 1, 10_000_000, errors);
        var perPage = DelightedInput.QueryInt(request.Query, "per_page", 20, 1, SurveyResponsesEndpoints.MaxPerPage, errors);
        var since = DelightedInput.QueryTime(request.Query, "since", errors);
        var until = DelightedInput.QueryTime(request.Query, "until", errors);
        errors.ThrowIfAny();

        var rows = db.EmailSuppressions.AsNoTracking().Where(s => s.Reason == reason);
        if (since is { } from)
        {
            rows = rows.Where(s => s.CreatedAt >= from);
        }

        if (until is { } to)
        {
            var end = to.AddSeconds(1);
            rows = rows.Where(s => s.CreatedAt < end);
        }

        var list = await (from s in rows.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id).Skip((page - 1) * perPage).Take(perPage)
                          join c in db.Contacts on s.EmailKey equals c.EmailKey into contacts
                          from c in contacts.DefaultIfEmpty()
                          orderby s.CreatedAt, s.Id
                          select new { s.EmailKey, s.CreatedAt, ContactId = c == null ? (Guid?)null : c.Id, Email = c == null ? null : c.Email, Name = c == null ? null : c.Name })
            .ToListAsync(ct);
        var array = new JsonArray();
        foreach (var s in list)
        {
            array.Add(new JsonObject
            {
                ["person_id"] = s.ContactId?.ToString(),
                ["email"] = s.Email ?? s.EmailKey,
                ["name"] = s.Name,
                [timeField] = DelightedJson.Unix(s.CreatedAt),
            });
        }

        return DelightedJson.Result(array);
    }
}
