using Promoter.Data;
using Promoter.Platform.Email;

namespace Promoter.Distribution.Invitations;

/// <summary>
/// Writes an invitation when it is due and keeps the invitation's status in step with its mail. At send time it checks
/// again what may have changed since scheduling: the survey closed, the contact surveyed elsewhere in the meantime
/// (throttled), quiet hours (after a relay outage). A sent invitation queues its one reminder.
/// </summary>
public sealed class InvitationComposer(InvitationMail mail, PromoterDb db, EmailOutbox outbox) : IEmailComposer
{
    private InvitationStatus? _skipAs;
    private InvitationMailState? _state;

    public string Kind => EmailKinds.Invitation;

    public async Task<Composition> ComposeAsync(OutboundEmail email, CancellationToken ct)
    {
        var state = _state = await mail.LoadAsync(email.RelatedId, ct);
        if (state is null)
        {
            return new Composition.Skip(EmailStatus.Cancelled, "The invitation no longer exists.");
        }

        var invitation = state.Invitation;
        if (invitation.Status != InvitationStatus.Scheduled)
        {
            return new Composition.Skip(EmailStatus.Cancelled, $"The invitation is {invitation.Status.ToString().ToLowerInvariant()}; nothing to send.");
        }

        if (state.Survey.IsClosed)
        {
            _skipAs = InvitationStatus.Cancelled;
            return new Composition.Skip(EmailStatus.Cancelled, "The survey was closed before the invitation went out.");
        }

        if (mail.QuietHoursDefer(state) is { } defer)
        {
            return defer;
        }

        if (state.ThrottleDays > 0
            && await ThrottleWindow.FindAsync(db, invitation.ContactId, invitation.Id, ThrottleWindow.Since(mail.Now, state.ThrottleDays, state.Zone), includeScheduled: false, ct) is { } hit)
        {
            _skipAs = InvitationStatus.Throttled;
            return new Composition.Skip(EmailStatus.Cancelled, $"Throttled: {hit.What}, within the {state.ThrottleDays}-day window.");
        }

        return mail.Compose(state, reminder: false);
    }

    public async Task RecordAsync(OutboundEmail email, EmailOutcome outcome, CancellationToken ct)
    {
        var state = _state ?? await mail.LoadAsync(email.RelatedId, ct);
        if (state is null)
        {
            return;
        }

        var invitation = state.Invitation;
        switch (outcome.Status)
        {
            case EmailStatus.Sent when invitation.Status == InvitationStatus.Scheduled:
                invitation.Status = InvitationStatus.Sent;
                invitation.SentAt = outcome.At;
                invitation.StatusReason = null;
                if (state.Survey.ReminderDays is { } days and > 0 && state.Contact is not null)
                {
                    outbox.Schedule(EmailKinds.Reminder, email.ToAddress, invitation.Id, outcome.At.AddDays(days),
                        InvitationScheduler.ReminderDedupeKey(invitation.Id), email.ToName);
                }

                break;
            case EmailStatus.Pending:
                // A retry later: the invitation stays scheduled; the reason says why it has not left yet.
                invitation.StatusReason = outcome.Error;
                break;
            case EmailStatus.Failed when invitation.Status == InvitationStatus.Scheduled:
                invitation.Status = InvitationStatus.Bounced;
                invitation.StatusReason = outcome.Error;
                break;
            case EmailStatus.Expired when invitation.Status == InvitationStatus.Scheduled:
                invitation.Status = InvitationStatus.Expired;
                invitation.StatusReason = outcome.Error;
                break;
            case EmailStatus.Suppressed when invitation.Status == InvitationStatus.Scheduled:
                invitation.Status = InvitationStatus.Suppressed;
                invitation.StatusReason = outcome.Error;
                break;
            case EmailStatus.Cancelled when _skipAs is { } status && invitation.Status == InvitationStatus.Scheduled:
                invitation.Status = status;
                invitation.StatusReason = outcome.Error;
                break;
        }

    }
}
