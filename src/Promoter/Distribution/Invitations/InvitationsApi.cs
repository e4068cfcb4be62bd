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
        api.MapPost("/surveys/{id:guid}/invitations", Trigger).RequireScope(Scopes.DistributionWrite);
        api.MapGet("/invitations/{id:guid}", Get).RequireScope(Scopes.ContactsRead);
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

    private static async Task<Ok<InvitationDto>> Get(Guid id, PromoterDb db, PublicUrls urls, CancellationToken ct) =>
        TypedResults.Ok(InvitationDto.From(await db.Invitations.AsNoTracking().SingleOrDefaultAsync(i => i.Id == id, ct) ?? throw new NotFoundException("invitation"), urls));
}
