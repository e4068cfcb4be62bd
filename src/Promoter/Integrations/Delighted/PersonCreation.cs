using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Distribution.Contacts;
using Promoter.Distribution.Invitations;
using Promoter.Platform;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// <c>POST /v1/people</c>: finds or creates the person (through <see cref="ContactDirectory"/>) and, unless
/// <c>send</c> is false, schedules a survey after <c>delay</c> seconds (through <see cref="InvitationScheduler"/>, so
/// suppression, throttling and quiet hours apply as to any other invitation). Everything is one <c>SaveChanges</c>:
/// a refused request writes nothing.
/// </summary>
internal static class PersonCreation
{
    public const long MaxDelaySeconds = 5L * 366 * 86_400;

    private sealed record Input(
        string? Email, string? Phone, string? Name, bool Send, long Delay, Dictionary<string, string> Properties, DateTime? LastSentAt,
        string? EmailUpdate, string? PhoneUpdate, Guid? Trend);

    public static async Task<IResult> CreateAsync(HttpRequest request, PromoterDb db, ContactDirectory directory, InvitationScheduler scheduler,
        TimeProvider clock, CancellationToken ct)
    {
        var body = await DelightedJson.ReadObjectAsync(request, ct);
        var input = await ParseAsync(body, db, clock.GetUtcNow().UtcDateTime, ct);
        try
        {
            return await WriteAsync(input, db, directory, scheduler, clock, ct);
        }
        catch (DbUpdateException)
        {
            // Two requests created the same new person at once; the loser finds it now and updates it.
            db.ChangeTracker.Clear();
            return await WriteAsync(input, db, directory, scheduler, clock, ct);
        }
    }

    private static async Task<Input> ParseAsync(JsonObject body, PromoterDb db, DateTime now, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var email = DelightedInput.Text(body, "email", errors);
        var phone = DelightedInput.Text(body, "phone_number", errors);
        var name = DelightedInput.Text(body, "name", errors);
        var channel = DelightedInput.Text(body, "channel", errors) ?? "email";
        var delay = DelightedInput.WholeNumber(body, "delay", errors) ?? 0;
        var send = DelightedInput.Boolean(body, "send", errors) ?? true;
        var properties = DelightedInput.Properties(body, "properties", errors) ?? [];
        var lastSentAt = DelightedInput.Time(body, "last_sent_at", errors);
        var emailUpdate = DelightedInput.Text(body, "email_update", errors);
        var phoneUpdate = DelightedInput.Text(body, "phone_number_update", errors);
        var trend = await DelightedSurveys.TrendAsync(db, DelightedInput.Text(body, "trend", errors), errors, ct);
        if (channel is not ("email" or "sms"))
        {
            errors.Add("channel", "must be email or sms");
        }
        else if (channel == "sms" && send)
        {
            errors.Add("channel", "Promoter surveys by email; SMS sending is not available (send: false adds the person without a survey)");
        }

        if (string.IsNullOrEmpty(email) && string.IsNullOrEmpty(phone))
        {
            errors.Add("email", "can't be blank (give email or phone_number)");
        }
        else if (send && string.IsNullOrEmpty(email) && channel == "email")
        {
            errors.Add("email", "is needed to send a survey by email");
        }

        if (delay is < 0 or > MaxDelaySeconds)
        {
            errors.Add("delay", $"must be 0 to {MaxDelaySeconds} seconds");
        }

        if (lastSentAt > now.AddMinutes(5))
        {
            errors.Add("last_sent_at", "must not be in the future");
        }

        errors.ThrowIfAny();
        return new Input(email, phone, name, send, delay, properties, lastSentAt, emailUpdate, phoneUpdate, trend);
    }

    private static async Task<IResult> WriteAsync(Input input, PromoterDb db, ContactDirectory directory, InvitationScheduler scheduler, TimeProvider clock,
        CancellationToken ct)
    {
        var contact = await ContactAsync(input, db, directory, clock, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var stored = await db.DelightedPeople.FirstOrDefaultAsync(p => p.ContactId == contact.Id, ct);
        if (input.LastSentAt is { } lastSent)
        {
            if (stored is null)
            {
                db.DelightedPeople.Add(stored = new DelightedPerson { ContactId = contact.Id, LastSentAt = lastSent });
            }
            else
            {
                stored.LastSentAt = lastSent;
            }
        }

        Invitation? invitation = null;
        if (input.Send)
        {
            var survey = await DelightedSurveys.TargetAsync(db, input.Trend, ct);
            var delay = TimeSpan.FromSeconds(input.Delay);
            if (!await ThrottledByDelightedAsync(db, survey, stored, now + delay, ct))
            {
                invitation = await scheduler.ScheduleAsync(survey.Id, contact, input.Properties, delay, null, ct);
            }
        }

        await db.SaveChangesAsync(ct);
        return DelightedJson.Result(new JsonObject
        {
            ["id"] = contact.Id.ToString(),
            ["email"] = contact.Email,
            ["name"] = contact.Name,
            ["phone_number"] = contact.Phone,
            // Null when nothing was scheduled: send false, or throttled or suppressed (recorded on the invitation).
            ["survey_scheduled_at"] = invitation is { Status: InvitationStatus.Scheduled } ? DelightedJson.Unix(invitation.ScheduledAt) : null,
            ["properties"] = new JsonObject([.. input.Properties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
        }, StatusCodes.Status201Created);
    }

    private static async Task<Contact> ContactAsync(Input input, PromoterDb db, ContactDirectory directory, TimeProvider clock, CancellationToken ct)
    {
        input.Properties.TryGetValue("locale", out var locale);
        try
        {
            if (input.EmailUpdate is null && input.PhoneUpdate is null)
            {
                return await directory.UpsertAsync(new ContactInput(input.Email, input.Phone, input.Name, locale, null, null), ct);
            }

            // email_update / phone_number_update: the person found by the old identifier takes the new one.
            var current = await (input.Email is not null ? PersonKeys.FindAsync(db, "email:" + input.Email, true, ct) : PersonKeys.FindAsync(db, "phone_number:" + input.Phone, true, ct))
                          ?? throw RequestValidationException.For(input.Email is not null ? "email" : "phone_number", "no person has this identifier to update");
            var errors = new FieldErrors();
            var valid = ContactFields.Validate(new ContactInput(input.EmailUpdate, input.PhoneUpdate, input.Name, locale, null, null), errors, requireAddress: false);
            errors.ThrowIfAny();
            if (valid.EmailKey is { } key && await directory.FindByEmailKeyAsync(key, ct) is { } other && other.Id != current.Id)
            {
                throw ContactDirectory.EmailTaken();
            }

            if (valid.Phone is { } phone && await directory.FindByPhoneAsync(phone, ct) is { } holder && holder.Id != current.Id)
            {
                throw ContactDirectory.PhoneTaken();
            }

            var now = clock.GetUtcNow().UtcDateTime;
            directory.Apply(current, valid, replace: false, now.AddTicks(-(now.Ticks % 10)));
            return current;
        }
        catch (RequestValidationException e)
        {
            throw new RequestValidationException(e.Errors.ToDictionary(x => DelightedField(x.Key, input), x => x.Value, StringComparer.Ordinal));
        }
        catch (FieldConflictException e)
        {
            throw RequestValidationException.For(DelightedField(e.Field, input), "has already been taken by another person");
        }
    }

    /// <summary>Promoter's contact field names as the Delighted client sent them.</summary>
    private static string DelightedField(string field, Input input) => field switch
    {
        "phone" => input.PhoneUpdate is not null ? "phone_number_update" : "phone_number",
        "email" when input.EmailUpdate is not null => "email_update",
        "locale" => "properties.locale",
        _ => field,
    };

    /// <summary>
    /// Delighted's <c>last_sent_at</c> counts like a send Promoter made: inside the survey's throttle window, no survey
    /// (Delighted skipped such sends silently too; the person's last_sent_at shows why).
    /// </summary>
    private static async Task<bool> ThrottledByDelightedAsync(PromoterDb db, Surveys.Survey survey, DelightedPerson? stored, DateTime sendAt, CancellationToken ct)
    {
        if (stored is null)
        {
            return false;
        }

        var workspaceDays = await db.Workspaces.AsNoTracking().Where(w => w.Id == db.Workspace.RequiredWorkspaceId).Select(w => w.ThrottleDays).SingleAsync(ct);
        var days = survey.ThrottleDays ?? workspaceDays;
        return days > 0 && stored.LastSentAt > sendAt.AddDays(-days);
    }
}
