using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Distribution.Contacts;
using Promoter.Distribution.Recurring;
using Promoter.Distribution.Sending;
using Promoter.Platform;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// <c>/v1/autopilot/{email|sms}</c>: Delighted's Autopilot is Promoter's recurring send (the workspace's oldest one).
/// Its frequency is the send's interval; its memberships are the send's enrollments. A recurring send enrols every
/// contact with an email by itself, so removing a membership parks the enrollment (<see cref="Parked"/>) instead of
/// deleting it, which the send would undo; adding it again puts the person back in their slot of the cycle.
/// Promoter sends no SMS: the sms platform is inactive and has no members.
/// </summary>
internal static class AutopilotEndpoints
{
    /// <summary>The due time of a removed membership: never due, and recognisably not a real slot.</summary>
    public static readonly DateTime Parked = new(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc);

    public static void Map(RouteGroupBuilder v1)
    {
        DelightedRoutes.Map(v1, "GET", "/autopilot/{platform}", Configuration, Scopes.SurveysRead);
        DelightedRoutes.Map(v1, "GET", "/autopilot/{platform}/memberships", List, Scopes.ContactsRead);
        DelightedRoutes.Map(v1, "POST", "/autopilot/{platform}/memberships", Add, Scopes.DistributionWrite);
        DelightedRoutes.Map(v1, "DELETE", "/autopilot/{platform}/memberships", Remove, Scopes.DistributionWrite);
    }

    private static string Platform(string platform) => DelightedRoutes.WithoutSuffix(platform) switch
    {
        "email" => "email",
        "sms" => "sms",
        _ => throw new NotFoundException("autopilot platform"),
    };

    private static Task<Send?> SendAsync(PromoterDb db, CancellationToken ct) =>
        db.Sends.AsNoTracking().Where(s => s.Kind == SendKind.Recurring).OrderByDescending(s => s.Active).ThenBy(s => s.CreatedAt).ThenBy(s => s.Id)
            .FirstOrDefaultAsync(ct);

    private static async Task<IResult> Configuration(string platform, PromoterDb db, CancellationToken ct)
    {
        var name = Platform(platform);
        var send = name == "email" ? await SendAsync(db, ct) : null;
        return DelightedJson.Result(new JsonObject
        {
            ["platform_id"] = name,
            ["active"] = send?.Active ?? false,
            ["frequency"] = send?.EveryDays is { } days ? (long)days * 86_400 : null,
            ["created_at"] = DelightedJson.Unix(send?.CreatedAt),
            ["updated_at"] = DelightedJson.Unix(send?.UpdatedAt),
        });
    }

    private static async Task<IResult> List(string platform, HttpRequest request, HttpResponse response, PromoterDb db, PublicUrls urls, CancellationToken ct)
    {
        var query = request.Query;
        var errors = new FieldErrors();
        var perPage = DelightedInput.QueryInt(query, "per_page", 20, 1, SurveyResponsesEndpoints.MaxPerPage, errors);
        var personId = DelightedInput.Query(query, "person_id", errors);
        var email = DelightedInput.Query(query, "person_email", errors);
        var phone = DelightedInput.Query(query, "person_phone_number", errors);
        var pageInfo = DelightedInput.Query(query, "page_info", errors);
        var after = pageInfo is null ? null : PeopleCursor.Read(pageInfo);
        if (pageInfo is not null && after is null)
        {
            errors.Add("page_info", "is not a cursor from a Link header");
        }

        if (new[] { personId, email, phone }.Count(v => v is not null) > 1)
        {
            errors.Add("person_id", "give one of person_id, person_email and person_phone_number");
        }

        errors.ThrowIfAny();
        var send = Platform(platform) == "email" ? await SendAsync(db, ct) : null;
        if (send is null)
        {
            return DelightedJson.Result(new JsonArray());
        }

        var members = from e in db.RecurringEnrollments.AsNoTracking()
                      join c in db.Contacts.AsNoTracking() on e.ContactId equals c.Id
                      where e.SendId == send.Id && e.NextDueAt != Parked
                      select new { e, c };
        if (personId is not null)
        {
            var id = Guid.TryParse(personId, out var parsed) ? parsed : Guid.Empty;
            members = members.Where(m => m.c.Id == id);
        }

        if (email is not null)
        {
            var key = EmailAddresses.Key(email);
            members = members.Where(m => m.c.EmailKey == key);
        }

        if (phone is not null)
        {
            var normalized = ContactFields.Phone(phone, new FieldErrors()) ?? "";
            members = members.Where(m => m.c.Phone == normalized);
        }

        if (after is { } a)
        {
            members = members.Where(m => m.e.CreatedAt > a.CreatedAt || (m.e.CreatedAt == a.CreatedAt && m.e.ContactId.CompareTo(a.Id) > 0));
        }

        var page = await members.OrderBy(m => m.e.CreatedAt).ThenBy(m => m.e.ContactId).Take(perPage + 1).ToListAsync(ct);
        if (page.Count > perPage)
        {
            page.RemoveAt(perPage);
            response.Headers.Link = PeopleCursor.NextLink(request, urls.Base, PeopleCursor.Write(new(page[^1].e.CreatedAt, page[^1].e.ContactId)));
        }

        var ids = page.Select(m => m.c.Id).ToList();
        var activity = await PersonJson.ActivityAsync(db, ids, ct);
        var stored = await PeopleEndpoints.StoredLastSentAsync(db, ids, ct);
        var pending = await db.Invitations.AsNoTracking()
            .Where(i => i.SendId == send.Id && ids.Contains(i.ContactId) && i.Status == InvitationStatus.Scheduled)
            .ToListAsync(ct);
        var array = new JsonArray();
        foreach (var m in page)
        {
            var invitation = pending.Where(i => i.ContactId == m.c.Id).MinBy(i => i.ScheduledAt);
            array.Add(new JsonObject
            {
                ["created_at"] = DelightedJson.Unix(m.e.CreatedAt),
                ["updated_at"] = DelightedJson.Unix(m.e.CreatedAt),
                ["person"] = Person(m.c, PeopleEndpoints.Merge(activity[m.c.Id], stored, m.c.Id)),
                ["next_survey_request"] = new JsonObject
                {
                    ["id"] = invitation?.Id.ToString(),
                    ["created_at"] = DelightedJson.Unix(invitation?.CreatedAt),
                    ["survey_scheduled_at"] = DelightedJson.Unix(invitation?.ScheduledAt ?? m.e.NextDueAt),
                    ["properties"] = Properties(invitation?.Properties ?? m.c.Properties),
                },
            });
        }

        return DelightedJson.Result(array);
    }

    /// <summary>Adds (or re-adds) a person: the contact through <see cref="ContactDirectory"/>, the enrollment in the recurring send.</summary>
    private static async Task<IResult> Add(string platform, HttpRequest request, PromoterDb db, ContactDirectory directory, TimeProvider clock,
        IOptions<DistributionOptions> options, CancellationToken ct)
    {
        var body = await DelightedJson.ReadObjectAsync(request, ct);
        var errors = new FieldErrors();
        var personId = DelightedInput.Text(body, "person_id", errors);
        var email = DelightedInput.Text(body, "person_email", errors);
        var phone = DelightedInput.Text(body, "person_phone_number", errors);
        var name = DelightedInput.Text(body, "person_name", errors);
        var properties = DelightedInput.Properties(body, "properties", errors);
        if (Platform(platform) == "sms")
        {
            errors.Add("platform", "Promoter surveys by email; SMS Autopilot is not available");
        }

        if (new[] { personId, email, phone }.Count(v => v is not null) != 1)
        {
            errors.Add("person_email", "give exactly one of person_id, person_email and person_phone_number");
        }

        errors.ThrowIfAny();
        var send = await SendAsync(db, ct) ?? throw RequestValidationException.For("platform",
            "the workspace has no recurring send; create one in Promoter first (POST /api/v1/recurring-sends)");
        try
        {
            return await AddAsync(send, personId, email, phone, name, properties, db, directory, clock, options.Value, ct);
        }
        catch (DbUpdateException)
        {
            // The recurring send enrolled the new contact at the same moment; the retry finds its enrollment.
            db.ChangeTracker.Clear();
            return await AddAsync(send, personId, email, phone, name, properties, db, directory, clock, options.Value, ct);
        }
    }

    private static async Task<IResult> AddAsync(Send send, string? personId, string? email, string? phone, string? name, Dictionary<string, string>? properties,
        PromoterDb db, ContactDirectory directory, TimeProvider clock, DistributionOptions options, CancellationToken ct)
    {
        Contact contact;
        try
        {
            if (personId is not null)
            {
                contact = await PersonKeys.FindAsync(db, personId, tracked: true, ct) is { } found && Guid.TryParse(personId, out _)
                    ? found
                    : throw RequestValidationException.For("person_id", "does not exist");
                var changes = new ContactInput(null, null, name, null, null, properties);
                var fieldErrors = new FieldErrors();
                var valid = ContactFields.Validate(changes, fieldErrors, requireAddress: false);
                fieldErrors.ThrowIfAny();
                var now = clock.GetUtcNow().UtcDateTime;
                directory.Apply(contact, valid, replace: false, now.AddTicks(-(now.Ticks % 10)));
            }
            else
            {
                contact = await directory.UpsertAsync(new ContactInput(email, phone, name, null, null, properties), ct);
            }
        }
        catch (RequestValidationException e)
        {
            throw new RequestValidationException(e.Errors.ToDictionary(
                x => x.Key switch { "email" => "person_email", "phone" => "person_phone_number", "name" => "person_name", _ => x.Key },
                x => x.Value, StringComparer.Ordinal));
        }

        if (contact.Email is null)
        {
            throw RequestValidationException.For("person_email", "Autopilot surveys by email; the person needs an email address");
        }

        var enrollment = await db.RecurringEnrollments.FirstOrDefaultAsync(e => e.SendId == send.Id && e.ContactId == contact.Id, ct);
        var clockNow = clock.GetUtcNow().UtcDateTime;
        if (enrollment is null || enrollment.NextDueAt == Parked)
        {
            var workspaceZone = await db.Workspaces.AsNoTracking().Where(w => w.Id == db.Workspace.RequiredWorkspaceId).Select(w => w.TimeZone).SingleAsync(ct);
            var zone = QuietHours.ZoneOf(contact.TimeZone, workspaceZone);
            var sequence = enrollment?.Sequence ?? await db.RecurringEnrollments.CountAsync(e => e.SendId == send.Id, ct);
            var due = RecurringSlots.FirstDue(send.CreatedAt, send.EveryDays ?? 90, sequence, zone, options, clockNow);
            if (enrollment is null)
            {
                db.RecurringEnrollments.Add(new RecurringEnrollment
                {
                    SendId = send.Id,
                    ContactId = contact.Id,
                    Sequence = sequence,
                    NextDueAt = due,
                    CreatedAt = clockNow.AddTicks(-(clockNow.Ticks % 10)),
                });
            }
            else
            {
                enrollment.NextDueAt = due;
            }
        }

        await db.SaveChangesAsync(ct);
        return DelightedJson.Result(new JsonObject
        {
            ["person"] = Person(contact, null),
            ["properties"] = Properties(contact.Properties),
        });
    }

    /// <summary>Removes a person: exactly one identifier, as a query string (node client) or a JSON body (docs, ruby).</summary>
    private static async Task<IResult> Remove(string platform, HttpRequest request, PromoterDb db, CancellationToken ct)
    {
        var body = await DelightedJson.ReadObjectAsync(request, ct);
        var errors = new FieldErrors();
        string? Identifier(string name) => DelightedInput.Query(request.Query, name, errors) ?? DelightedInput.Text(body, name, errors);
        var personId = Identifier("person_id");
        var email = Identifier("person_email");
        var phone = Identifier("person_phone_number");
        if (new[] { personId, email, phone }.Count(v => v is not null) != 1)
        {
            errors.Add("person_email", "give exactly one of person_id, person_email and person_phone_number");
        }

        errors.ThrowIfAny();
        var name = Platform(platform);
        var key = personId ?? (email is not null ? "email:" + email : "phone_number:" + phone);
        var contact = await PersonKeys.RequireAsync(db, key, tracked: false, ct);
        var send = name == "email" ? await SendAsync(db, ct) : null;
        if (send is not null)
        {
            await db.RecurringEnrollments.Where(e => e.SendId == send.Id && e.ContactId == contact.Id)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.NextDueAt, Parked), ct);
        }

        return DelightedJson.Result(new JsonObject { ["person"] = Person(contact, null) });
    }

    private static JsonObject Person(Contact c, PersonJson.Activity? activity) => new()
    {
        ["id"] = c.Id.ToString(),
        ["name"] = c.Name,
        ["email"] = c.Email,
        ["created_at"] = DelightedJson.Unix(c.CreatedAt),
        ["phone_number"] = c.Phone,
        ["last_sent_at"] = DelightedJson.Unix(activity?.LastSentAt),
    };

    private static JsonObject Properties(string? json) =>
        new([.. PropertyBags.Read(json).Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]);
}
