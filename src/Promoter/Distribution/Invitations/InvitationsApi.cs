using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Distribution.Contacts;
using Promoter.Platform;

namespace Promoter.Distribution.Invitations;

/// <summary>Touchpoint triggers (<c>POST /api/v1/surveys/{id}/invitations</c>) and reading invitations back.</summary>
public static class InvitationsApi
{
    /// <summary>A trigger may wait up to 90 days (a "three months after purchase" survey).</summary>
    public const long MaxDelaySeconds = 90L * 24 * 3600;

    public static IEndpointRouteBuilder MapInvitationsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Invitations").RequireAuthorization();
        api.MapPost("/surveys/{id:guid}/invitations", Trigger).RequireScope(Scopes.DistributionWrite)
            .WithSummary("Invite a contact after a touchpoint, with an optional delay (throttling, quiet hours and suppression apply)");
        api.MapGet("/invitations", List).RequireScope(Scopes.ContactsRead)
            .WithSummary("List invitations");
        api.MapGet("/invitations/{id:guid}", Get).RequireScope(Scopes.ContactsRead)
            .WithSummary("Get an invitation with its state");
        return app;
    }

    private static async Task<Created<InvitationDto>> Trigger(Guid id, TriggerInput body, PromoterDb db, ContactDirectory directory, InvitationScheduler scheduler,
        PublicUrls urls, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var properties = TextInput.Properties(body.Properties, "properties", errors);
        if (body.DelaySeconds is < 0 or > MaxDelaySeconds)
        {
            errors.Add("delaySeconds", $"Use 0 to {MaxDelaySeconds} seconds (90 days).");
        }

        if (body.Contact is not { } contact)
        {
            errors.Add("contact", "Give the contact to invite, at least {\"email\": …}.");
        }
        else if (string.IsNullOrWhiteSpace(contact.Email))
        {
            errors.Add("contact.email", "An email invitation needs the contact's email address.");
        }

        errors.ThrowIfAny();
        var delay = body.DelaySeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : (TimeSpan?)null;

        // A contact created by a concurrent trigger for the same person makes the first attempt's insert fail;
        // the second finds it.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var person = await UpsertContactAsync(directory, body.Contact!, ct);
                var invitation = await scheduler.ScheduleAsync(id, person, properties, delay, null, ct);
                await db.SaveChangesAsync(ct);
                return TypedResults.Created($"/api/v1/invitations/{invitation.Id}", InvitationDto.From(invitation, urls));
            }
            catch (DbUpdateException) when (attempt == 1)
            {
                db.ChangeTracker.Clear();
            }
        }
    }

    private static async Task<Contact> UpsertContactAsync(ContactDirectory directory, TriggerContact input, CancellationToken ct)
    {
        try
        {
            return await directory.UpsertAsync(new ContactInput(input.Email, input.Phone, input.Name, input.Locale, input.TimeZone, input.Properties), ct);
        }
        catch (RequestValidationException e)
        {
            throw new RequestValidationException(e.Errors.ToDictionary(x => $"contact.{x.Key}", x => x.Value, StringComparer.Ordinal));
        }
        catch (FieldConflictException e)
        {
            throw new FieldConflictException(e.Code, $"contact.{e.Field}", e.Message);
        }
    }

    public const int DefaultPage = 50;
    public const int MaxPage = 500;

    /// <summary>
    /// Invitations newest first, filtered by survey, contact, send and status (each optional), paged by an opaque
    /// cursor: for reconciling what was sent with a CRM, or following one send.
    /// </summary>
    private static async Task<Ok<InvitationListDto>> List(PromoterDb db, PublicUrls urls, string? surveyId, string? contactId, string? sendId,
        string? status, string? cursor, int? limit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var survey = OptionalId(surveyId, "surveyId", errors);
        var contact = OptionalId(contactId, "contactId", errors);
        var send = OptionalId(sendId, "sendId", errors);
        InvitationStatus? state = null;
        if (status is not null)
        {
            if (Enum.TryParse<InvitationStatus>(status, ignoreCase: true, out var parsed) && status.All(char.IsAsciiLetter))
            {
                state = parsed;
            }
            else
            {
                errors.Add("status", "Use one of: " + string.Join(", ", Enum.GetNames<InvitationStatus>().Select(n => n.ToLowerInvariant())) + ".");
            }
        }

        Guid? after = null;
        if (cursor is not null && (after = PageCursor.Read('i', cursor)) is null)
        {
            errors.Add("cursor", "Use the nextCursor value of a previous page.");
        }

        if (limit is < 1 or > MaxPage)
        {
            errors.Add("limit", $"Use 1 to {MaxPage}.");
        }

        errors.ThrowIfAny();
        var query = db.Invitations.AsNoTracking();
        query = survey is { } s ? query.Where(i => i.SurveyId == s) : query;
        query = contact is { } c ? query.Where(i => i.ContactId == c) : query;
        query = send is { } d ? query.Where(i => i.SendId == d) : query;
        query = state is { } st ? query.Where(i => i.Status == st) : query;
        query = after is { } last ? query.Where(i => i.Id < last) : query;
        var take = limit ?? DefaultPage;
        var rows = await query.OrderByDescending(i => i.Id).Take(take + 1).ToListAsync(ct);
        var page = rows.Take(take).ToList();
        return TypedResults.Ok(new InvitationListDto(page.Select(i => InvitationDto.From(i, urls)).ToList(),
            rows.Count > take ? PageCursor.Write('i', page[^1].Id) : null));
    }

    private static Guid? OptionalId(string? value, string field, FieldErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        if (Guid.TryParseExact(value, "D", out var id))
        {
            return id;
        }

        errors.Add(field, "Use an id as returned by the API.");
        return null;
    }

    private static async Task<Ok<InvitationDto>> Get(Guid id, PromoterDb db, PublicUrls urls, CancellationToken ct) =>
        TypedResults.Ok(InvitationDto.From(await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct) ?? throw new NotFoundException("invitation"), urls));
}
