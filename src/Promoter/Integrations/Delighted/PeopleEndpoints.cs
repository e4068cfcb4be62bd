using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Distribution.Contacts;
using Promoter.Integrations.Webhooks;
using Promoter.Platform;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// <c>/v1/people</c>: create-and-survey (<see cref="PersonCreation"/>), the cursor-paged list, retrieve, delete by id,
/// email or phone number (202), and cancelling a person's pending survey requests.
/// </summary>
internal static class PeopleEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        DelightedRoutes.Map(v1, "POST", "/people", PersonCreation.CreateAsync, Scopes.DistributionWrite);
        DelightedRoutes.Map(v1, "PUT", "/people", Save, Scopes.ContactsWrite);
        DelightedRoutes.Map(v1, "GET", "/people", List, Scopes.ContactsRead);
        DelightedRoutes.Map(v1, "GET", "/people/{key}", Retrieve, Scopes.ContactsRead);
        DelightedRoutes.Map(v1, "DELETE", "/people/{key}", Delete, Scopes.ContactsWrite);
        DelightedRoutes.Map(v1, "DELETE", "/people/{key}/survey_requests/pending", CancelPending, Scopes.DistributionWrite);
    }

    private static async Task<IResult> List(HttpRequest request, HttpResponse response, PromoterDb db, PublicUrls urls, CancellationToken ct)
    {
        var query = request.Query;
        var errors = new FieldErrors();
        var perPage = DelightedInput.QueryInt(query, "per_page", 20, 1, SurveyResponsesEndpoints.MaxPerPage, errors);
        var since = DelightedInput.QueryTime(query, "since", errors);
        var until = DelightedInput.QueryTime(query, "until", errors);
        var email = DelightedInput.Query(query, "email", errors);
        var phone = DelightedInput.Query(query, "phone_number", errors);
        var pageInfo = DelightedInput.Query(query, "page_info", errors);
        var after = pageInfo is null ? null : PeopleCursor.Read(pageInfo);
        if (pageInfo is not null && after is null)
        {
            errors.Add("page_info", "is not a cursor from a Link header");
        }

        if (email is not null && phone is not null)
        {
            errors.Add("email", "give email or phone_number, not both");
        }

        errors.ThrowIfAny();
        var people = db.Contacts.AsNoTracking();
        if (since is { } s)
        {
            people = people.Where(c => c.CreatedAt >= s);
        }

        if (until is { } u)
        {
            var end = u.AddSeconds(1);
            people = people.Where(c => c.CreatedAt < end);
        }

        if (email is not null)
        {
            var key = EmailAddresses.Key(email);
            people = people.Where(c => c.EmailKey == key);
        }

        if (phone is not null)
        {
            // An unparseable number matches nobody, as Delighted answers an unknown one: an empty list.
            var normalized = Distribution.Contacts.ContactFields.Phone(phone, new FieldErrors()) ?? "";
            people = people.Where(c => c.Phone == normalized);
        }

        if (after is { } a)
        {
            people = people.Where(c => c.CreatedAt > a.CreatedAt || (c.CreatedAt == a.CreatedAt && c.Id.CompareTo(a.Id) > 0));
        }

        var page = await people.OrderBy(c => c.CreatedAt).ThenBy(c => c.Id).Take(perPage + 1).ToListAsync(ct);
        var more = page.Count > perPage;
        if (more)
        {
            page.RemoveAt(perPage);
            response.Headers.Link = PeopleCursor.NextLink(request, urls.Base, PeopleCursor.Write(new(page[^1].CreatedAt, page[^1].Id)));
        }

        var activity = await PersonJson.ActivityAsync(db, [.. page.Select(c => c.Id)], ct);
        var stored = await StoredLastSentAsync(db, [.. page.Select(c => c.Id)], ct);
        return DelightedJson.Result(new JsonArray([.. page.Select(c => (JsonNode)PersonJson.Write(c, Merge(activity[c.Id], stored, c.Id)))]));
    }

    /// <summary>
    /// The node client's <c>person.save()</c>: <c>PUT /v1/people</c> with every attribute, the id among them. Name, email and
    /// phone number change; nothing is sent.
    /// </summary>
    private static async Task<IResult> Save(HttpRequest request, PromoterDb db, ContactDirectory directory, TimeProvider clock, CancellationToken ct)
    {
        var body = await DelightedJson.ReadObjectAsync(request, ct);
        var errors = new FieldErrors();
        var id = body.TryGetPropertyValue("id", out var node) && node is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;
        var email = DelightedInput.Text(body, "email", errors);
        var phone = DelightedInput.Text(body, "phone_number", errors);
        var name = DelightedInput.Text(body, "name", errors);
        if (id is null)
        {
            errors.Add("id", "can't be blank");
        }

        errors.ThrowIfAny();
        var contact = await PersonKeys.FindAsync(db, id!, tracked: true, ct) is { } found && Guid.TryParse(id, out _) ? found : throw new NotFoundException("person");
        var valid = ContactFields.Validate(new ContactInput(email, phone, name, null, null, null), errors, requireAddress: false);
        if (valid.EmailKey is { } key && await directory.FindByEmailKeyAsync(key, ct) is { } other && other.Id != contact.Id)
        {
            errors.Add("email", "has already been taken by another person");
        }

        if (valid.Phone is { } number && await directory.FindByPhoneAsync(number, ct) is { } holder && holder.Id != contact.Id)
        {
            errors.Add("phone_number", "has already been taken by another person");
        }

        if (errors.Any)
        {
            throw new RequestValidationException(errors.All.GroupBy(e => e.Field == "phone" ? "phone_number" : e.Field)
                .ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray(), StringComparer.Ordinal));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        directory.Apply(contact, valid, replace: false, now.AddTicks(-(now.Ticks % 10)));
        await db.SaveChangesAsync(ct);
        return await Retrieve(contact.Id.ToString(), db, ct);
    }

    private static async Task<IResult> Retrieve(string key, PromoterDb db, CancellationToken ct)
    {
        var contact = await PersonKeys.RequireAsync(db, key, tracked: false, ct);
        var activity = (await PersonJson.ActivityAsync(db, [contact.Id], ct))[contact.Id];
        return DelightedJson.Result(PersonJson.Write(contact, Merge(activity, await StoredLastSentAsync(db, [contact.Id], ct), contact.Id)));
    }

    /// <summary>
    /// Deletes the person and everything about them, as Delighted did: their responses too (the contacts API keeps
    /// responses unlinked; a Delighted delete is an erasure), what webhook storage keeps about them, then the contact with
    /// its invitations, in one transaction.
    /// </summary>
    private static async Task<IResult> Delete(string key, PromoterDb db, ContactEditor editor, CancellationToken ct)
    {
        var contact = await PersonKeys.RequireAsync(db, key, tracked: false, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await WebhookErasure.EraseAsync(db, contact, ct);
        await db.Responses.Where(r => r.ContactId == contact.Id).ExecuteDeleteAsync(ct);
        await editor.DeleteAsync(contact.Id, ct);
        await tx.CommitAsync(ct);
        return DelightedJson.Result(new JsonObject { ["ok"] = true }, StatusCodes.Status202Accepted);
    }

    /// <summary>Scheduled, unsent invitations become cancelled; their queued mail is then skipped at send time.</summary>
    private static async Task<IResult> CancelPending(string key, PromoterDb db, CancellationToken ct)
    {
        var contact = await PersonKeys.RequireAsync(db, key, tracked: false, ct);
        await db.Invitations.Where(i => i.ContactId == contact.Id && i.Status == InvitationStatus.Scheduled)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, InvitationStatus.Cancelled)
                .SetProperty(i => i.StatusReason, "Cancelled through the Delighted-compatible API."), ct);
        return DelightedJson.Ok();
    }

    public static async Task<Dictionary<Guid, DateTime>> StoredLastSentAsync(PromoterDb db, List<Guid> ids, CancellationToken ct) =>
        await db.DelightedPeople.AsNoTracking().Where(p => ids.Contains(p.ContactId)).ToDictionaryAsync(p => p.ContactId, p => p.LastSentAt, ct);

    /// <summary>Delighted's own last send counts until Promoter has sent something later.</summary>
    public static PersonJson.Activity Merge(PersonJson.Activity activity, Dictionary<Guid, DateTime> stored, Guid id) =>
        stored.TryGetValue(id, out var delighted) && (activity.LastSentAt is null || activity.LastSentAt < delighted)
            ? activity with { LastSentAt = delighted }
            : activity;
}
