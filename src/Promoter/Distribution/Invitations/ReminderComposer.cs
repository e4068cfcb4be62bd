using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform.Email;

namespace Promoter.Distribution.Invitations;

/// <summary>
/// The one reminder, written when due and only if it still makes sense: the invitation went out, nobody answered
/// (not even a score alone), the survey is open and reminders are still on. Unsubscribes and bounces are the
/// dispatcher's check, made just before this one.
/// </summary>
public sealed class ReminderComposer(InvitationMail mail, PromoterDb db) : IEmailComposer
{
    private InvitationMailState? _state;

    public string Kind => EmailKinds.Reminder;

    public async Task<Composition> ComposeAsync(OutboundEmail email, CancellationToken ct)
    {
        var state = _state = await mail.LoadAsync(email.RelatedId, ct);
        if (state is null)
        {
            return new Composition.Skip(EmailStatus.Cancelled, "The invitation no longer exists.");
        }

        var invitation = state.Invitation;
        if (invitation.Status is not (InvitationStatus.Sent or InvitationStatus.Opened or InvitationStatus.Clicked) || invitation.RespondedAt is not null
            || await db.Responses.AnyAsync(r => r.InvitationId == invitation.Id, ct))
        {
            return new Composition.Skip(EmailStatus.Cancelled, "No reminder: the invitation was answered or did not go out.");
        }

        if (state.Survey.IsClosed || state.Survey.ReminderDays is null or 0)
        {
            return new Composition.Skip(EmailStatus.Cancelled, "No reminder: the survey is closed or its reminders were turned off.");
        }

        return mail.QuietHoursDefer(state) is { } defer ? defer : mail.Compose(state, reminder: true);
    }

    public async Task RecordAsync(OutboundEmail email, EmailOutcome outcome, CancellationToken ct)
    {
        if (outcome.Status == EmailStatus.Sent && (_state ?? await mail.LoadAsync(email.RelatedId, ct)) is { } state)
        {
            state.Invitation.ReminderSentAt = outcome.At;
        }
    }
}
