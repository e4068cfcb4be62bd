using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Data;
using Promoter.Localization;
using Promoter.Platform;
using Promoter.Platform.Email;
using Promoter.Surveys;

namespace Promoter.Distribution.Invitations;

/// <summary>An invitation with what its mail is written from, read at send time (so it reflects the state then).</summary>
public sealed record InvitationMailState(Invitation Invitation, Survey Survey, Contact? Contact, TimeZoneInfo Zone, int ThrottleDays);

/// <summary>What the invitation and reminder composers share: loading the rows, quiet hours, and writing the content.</summary>
public sealed class InvitationMail(PromoterDb db, LocaleCatalog catalog, PublicUrls urls, TimeProvider clock, IOptions<DistributionOptions> options,
    IOptions<SmtpOptions> smtp)
{
    public DistributionOptions Options => options.Value;

    public DateTime Now => clock.GetUtcNow().UtcDateTime;

    /// <summary>The tracked invitation (the composer's record step changes it) and its survey and contact; null when it is gone.</summary>
    public async Task<InvitationMailState?> LoadAsync(Guid? invitationId, CancellationToken ct)
    {
        if (invitationId is not { } id || await db.Invitations.SingleOrDefaultAsync(i => i.Id == id, ct) is not { } invitation)
        {
            return null;
        }

        var survey = await db.Surveys.AsNoTracking().SingleAsync(s => s.Id == invitation.SurveyId, ct);
        var contact = await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == invitation.ContactId, ct);
        var workspace = await db.Workspaces.AsNoTracking().Where(w => w.Id == invitation.WorkspaceId)
            .Select(w => new { w.TimeZone, w.ThrottleDays }).SingleAsync(ct);
        return new InvitationMailState(invitation, survey, contact, QuietHours.ZoneOf(contact?.TimeZone, workspace.TimeZone),
            survey.ThrottleDays ?? workspace.ThrottleDays);
    }

    /// <summary>A <see cref="Composition.Defer"/> to the end of quiet hours, or null when mail may go now.</summary>
    public Composition.Defer? QuietHoursDefer(InvitationMailState state)
    {
        var now = Now;
        var allowed = QuietHours.NextAllowed(now, state.Zone, Options, state.Invitation.Id);
        return allowed > now ? new Composition.Defer(allowed, $"Quiet hours in {state.Zone.Id}: held until {allowed:yyyy-MM-dd HH:mm} UTC.") : null;
    }

    public Composition.Send Compose(InvitationMailState state, bool reminder)
    {
        var invitation = state.Invitation;
        var locale = catalog.Get(invitation.Language ?? state.Survey.DefaultLanguage);
        var definition = state.Survey.ReadDefinition();
        var unsubscribeToken = invitation.UnsubscribeToken ??= InvitationTokens.NewUnsubscribeToken();
        var model = new InvitationEmailModel(
            locale,
            InvitationBrand.Of(invitation.Properties, state.Survey.BrandName),
            state.Contact?.Name,
            urls.Invitation(invitation.Token),
            UnsubscribeUrl(unsubscribeToken),
            Mailbox(),
            unsubscribeToken,
            IsColor(definition.PrimaryColor) ? definition.PrimaryColor : null,
            reminder);
        return new Composition.Send(InvitationEmail.Write(model), state.Contact?.Name);
    }

    public string UnsubscribeUrl(string token) => $"{urls.Base}/u/{token}";

    private string? Mailbox()
    {
        var configured = options.Value.UnsubscribeMailbox;
        var address = string.IsNullOrWhiteSpace(configured) ? smtp.Value.From : configured;
        return EmailAddresses.TryNormalize(address, out var normalized) ? normalized : null;
    }

    // The colour goes into style attributes: only a strict #rrggbb may, whatever the database holds.
    private static bool IsColor(string? value) => value is { Length: 7 } && value[0] == '#' && value.Skip(1).All(char.IsAsciiHexDigit);
}
