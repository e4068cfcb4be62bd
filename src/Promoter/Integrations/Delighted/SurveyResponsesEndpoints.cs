using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// <c>/v1/survey_responses</c>: page-number lists with Delighted's filters, create, retrieve and update, including
/// <c>PUT /v1/survey_responses</c> with the id in the body, which is what the node client's <c>save()</c> sends.
/// </summary>
internal static class SurveyResponsesEndpoints
{
    public const int MaxPerPage = 100;

    public static void Map(RouteGroupBuilder v1)
    {
        DelightedRoutes.Map(v1, "GET", "/survey_responses", List, Scopes.ResponsesRead);
        DelightedRoutes.Map(v1, "POST", "/survey_responses", Create, Scopes.ResponsesWrite);
        DelightedRoutes.Map(v1, "PUT", "/survey_responses", UpdateFromBody, Scopes.ResponsesWrite);
        DelightedRoutes.Map(v1, "GET", "/survey_responses/{id}", Retrieve, Scopes.ResponsesRead);
        DelightedRoutes.Map(v1, "PUT", "/survey_responses/{id}", UpdateById, Scopes.ResponsesWrite);
    }

    private static async Task<IResult> List(HttpRequest request, PromoterDb db, CancellationToken ct)
    {
        var query = request.Query;
        var errors = new FieldErrors();
        var page = DelightedInput.QueryInt(query, "page", 1, 1, 10_000_000, errors);
        var perPage = DelightedInput.QueryInt(query, "per_page", 20, 1, MaxPerPage, errors);
        var since = DelightedInput.QueryTime(query, "since", errors);
        var until = DelightedInput.QueryTime(query, "until", errors);
        var updatedSince = DelightedInput.QueryTime(query, "updated_since", errors);
        var updatedUntil = DelightedInput.QueryTime(query, "updated_until", errors);
        var trend = await DelightedSurveys.TrendAsync(db, DelightedInput.Query(query, "trend", errors), errors, ct);
        var personIdText = DelightedInput.Query(query, "person_id", errors);
        var personEmail = DelightedInput.Query(query, "person_email", errors);
        var order = DelightedInput.Query(query, "order", errors) ?? "asc";
        if (order is not ("asc" or "desc" or "asc:updated_at" or "desc:updated_at"))
        {
            errors.Add("order", "must be asc, desc, asc:updated_at or desc:updated_at");
        }

        Guid? personId = null;
        if (personIdText is not null)
        {
            if (Guid.TryParse(personIdText, out var parsed))
            {
                personId = parsed;
            }
            else
            {
                errors.Add("person_id", "is not a person id");
            }
        }

        var expand = Expansions(query, errors);
        errors.ThrowIfAny();

        var rows = db.Responses.AsNoTracking().Where(r => r.Status == ResponseStatus.Final);
        if (trend is { } survey)
        {
            rows = rows.Where(r => r.SurveyId == survey);
        }

        // Delighted's bounds are inclusive and whole seconds; stored times carry fractions.
        if (since is { } s)
        {
            rows = rows.Where(r => r.RespondedAt >= s);
        }

        if (until is { } u)
        {
            var end = u.AddSeconds(1);
            rows = rows.Where(r => r.RespondedAt < end);
        }

        if (updatedSince is { } us)
        {
            rows = rows.Where(r => r.UpdatedAt >= us);
        }

        if (updatedUntil is { } uu)
        {
            var end = uu.AddSeconds(1);
            rows = rows.Where(r => r.UpdatedAt < end);
        }

        if (personId is { } pid)
        {
            rows = rows.Where(r => r.ContactId == pid);
        }

        if (personEmail is not null)
        {
            var key = EmailAddresses.Key(personEmail);
            var contacts = db.Contacts.Where(c => c.EmailKey == key).Select(c => (Guid?)c.Id);
            rows = rows.Where(r => contacts.Contains(r.ContactId));
        }

        rows = order switch
        {
            "desc" => rows.OrderByDescending(r => r.RespondedAt).ThenByDescending(r => r.Id),
            "asc:updated_at" => rows.OrderBy(r => r.UpdatedAt).ThenBy(r => r.Id),
            "desc:updated_at" => rows.OrderByDescending(r => r.UpdatedAt).ThenByDescending(r => r.Id),
            _ => rows.OrderBy(r => r.RespondedAt).ThenBy(r => r.Id),
        };
        var list = await rows.Skip((page - 1) * perPage).Take(perPage).ToListAsync(ct);
        var writer = new SurveyResponseJson(db);
        return DelightedJson.Result(await writer.WriteAsync(list, expand.Person, expand.Notes, ct));
    }

    private static async Task<IResult> Retrieve(string id, HttpRequest request, PromoterDb db, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var expand = Expansions(request.Query, errors);
        errors.ThrowIfAny();
        var row = await FindAsync(db, DelightedRoutes.WithoutSuffix(id), tracked: false, ct);
        return DelightedJson.Result(await new SurveyResponseJson(db).WriteOneAsync(row, expand.Person, ct));
    }

    private static async Task<IResult> Create(HttpRequest request, PromoterDb db, ResponseWriter writer, TimeProvider clock, CancellationToken ct)
    {
        var body = await DelightedJson.ReadObjectAsync(request, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var errors = new FieldErrors();
        var personText = PersonReference(body, errors);
        var score = Score(body, errors);
        var comment = TextInput.Comment(DelightedInput.Text(body, "comment", errors), "comment", errors);
        var properties = DelightedInput.Properties(body, "person_properties", errors);
        var createdAt = CreatedAt(body, now, errors);
        var trend = await DelightedSurveys.TrendAsync(db, DelightedInput.Text(body, "trend", errors), errors, ct);
        if (personText is null && !errors.All.Any(e => e.Field == "person"))
        {
            errors.Add("person", "can't be blank");
        }

        var contact = personText is null ? null : await FindPersonAsync(db, personText, errors, ct);
        errors.ThrowIfAny();

        var survey = await DelightedSurveys.TargetAsync(db, trend, ct);
        var language = contact!.Locale is { } locale && survey.LanguageList.Contains(locale) ? locale : survey.DefaultLanguage;
        var result = await writer.WriteAsync(new NewResponse
        {
            WorkspaceId = db.Workspace.RequiredWorkspaceId,
            SurveyId = survey.Id,
            Score = (short)score!.Value,
            Comment = comment,
            Language = language,
            Channel = Channels.Api,
            ContactId = contact.Id,
            Properties = PropertyBags.Merge(contact.Properties, PropertyBags.Write(properties)),
            RespondedAt = createdAt ?? now,
        }, ct);
        var row = await FindAsync(db, result.ResponseId.ToString(CultureInfo.InvariantCulture), tracked: false, ct);
        return DelightedJson.Result(await new SurveyResponseJson(db).WriteOneAsync(row, false, ct), StatusCodes.Status201Created);
    }

    private static async Task<IResult> UpdateById(string id, HttpRequest request, PromoterDb db, TimeProvider clock, CancellationToken ct) =>
        await UpdateAsync(DelightedRoutes.WithoutSuffix(id), await DelightedJson.ReadObjectAsync(request, ct), db, clock, ct);

    private static async Task<IResult> UpdateFromBody(HttpRequest request, PromoterDb db, TimeProvider clock, CancellationToken ct)
    {
        // The node client's materialized save() PUTs to the collection with every attribute, the id among them.
        var body = await DelightedJson.ReadObjectAsync(request, ct);
        var errors = new FieldErrors();
        var id = body.TryGetPropertyValue("id", out var node) && node is not null ? node.ToString() : null;
        if (id is null)
        {
            errors.Add("id", "can't be blank");
        }

        errors.ThrowIfAny();
        return await UpdateAsync(id!, body, db, clock, ct);
    }

    private static async Task<IResult> UpdateAsync(string id, JsonObject body, PromoterDb db, TimeProvider clock, CancellationToken ct)
    {
        var row = await FindAsync(db, id, tracked: true, ct);
        var errors = new FieldErrors();
        var score = body.ContainsKey("score") ? Score(body, errors) : null;
        var comment = TextInput.Comment(DelightedInput.Text(body, "comment", errors), "comment", errors);
        var properties = DelightedInput.Properties(body, "person_properties", errors);
        var personText = PersonReference(body, errors);
        var contact = personText is null ? null : await FindPersonAsync(db, personText, errors, ct);
        errors.ThrowIfAny();

        var old = (row.Score, row.Comment);
        if (score is { } s)
        {
            row.Score = (short)s;
        }

        // A key given as null clears the comment; a missing key leaves it (save() sends every attribute, unchanged ones included).
        if (body.ContainsKey("comment"))
        {
            row.Comment = comment;
        }

        if (properties is not null)
        {
            row.Properties = PropertyBags.Write(properties);
        }

        if (contact is not null)
        {
            row.ContactId = contact.Id;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (old != (row.Score, row.Comment))
        {
            // A changed answer keeps what was said first, as edits on the respondent page do.
            db.ResponseRevisions.Add(new ResponseRevision
            {
                ResponseId = row.Id,
                Revision = row.Revision,
                Score = old.Score,
                Comment = old.Comment,
                Answers = row.Answers,
                RecordedAt = now,
            });
            row.Revision++;
        }

        if (db.ChangeTracker.HasChanges())
        {
            row.UpdatedAt = now.AddTicks(-(now.Ticks % 10));
            await db.SaveChangesAsync(ct);
        }

        return DelightedJson.Result(await new SurveyResponseJson(db).WriteOneAsync(row, false, ct));
    }

    private static async Task<SurveyResponse> FindAsync(PromoterDb db, string id, bool tracked, CancellationToken ct)
    {
        if (!long.TryParse(id, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            throw new NotFoundException("survey response");
        }

        var query = tracked ? db.Responses : db.Responses.AsNoTracking();
        return await query.SingleOrDefaultAsync(r => r.Id == value && r.Status == ResponseStatus.Final, ct) ?? throw new NotFoundException("survey response");
    }

    /// <summary><c>person</c> as an id string, a number, or the expanded person object a retrieved response carries.</summary>
    private static string? PersonReference(JsonObject body, FieldErrors errors)
    {
        if (!body.TryGetPropertyValue("person", out var node) || node is null)
        {
            return null;
        }

        if (node is JsonObject person)
        {
            node = person["id"];
        }

        if (node is JsonValue value && (value.TryGetValue<string>(out var text) || (value.TryGetValue<long>(out var number) && (text = number.ToString(CultureInfo.InvariantCulture)) is not null)))
        {
            return text;
        }

        errors.Add("person", "must be a person id");
        return null;
    }

    private static async Task<Distribution.Contact?> FindPersonAsync(PromoterDb db, string id, FieldErrors errors, CancellationToken ct)
    {
        var contact = Guid.TryParse(id, out var guid) ? await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == guid, ct) : null;
        if (contact is null)
        {
            errors.Add("person", "does not exist");
        }

        return contact;
    }

    private static int? Score(JsonObject body, FieldErrors errors)
    {
        var score = DelightedInput.WholeNumber(body, "score", errors);
        if (score is null && !errors.All.Any(e => e.Field == "score"))
        {
            errors.Add("score", "can't be blank");
        }
        else if (score is < 0 or > 10)
        {
            errors.Add("score", "must be an integer from 0 to 10");
            return null;
        }

        return (int?)score;
    }

    private static DateTime? CreatedAt(JsonObject body, DateTime now, FieldErrors errors)
    {
        var at = DelightedInput.Time(body, "created_at", errors);
        if (at is { } t && (t > now.AddMinutes(5) || t.Year < 2000))
        {
            errors.Add("created_at", "must be after 2000 and not in the future");
            return null;
        }

        return at;
    }

    private static (bool Person, bool Notes) Expansions(IQueryCollection query, FieldErrors errors)
    {
        var values = DelightedInput.QueryList(query, "expand");
        foreach (var unknown in values.Where(v => v is not ("person" or "notes")))
        {
            errors.Add("expand", $"'{(unknown.Length > 32 ? unknown[..32] : unknown)}' cannot be expanded; use person or notes");
        }

        return (values.Contains("person"), values.Contains("notes"));
    }
}
