using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Platform.Email;

namespace Promoter.Loop;

/// <summary>
/// Hears how a reply's mail ended. Accepted by the relay: the first contact, and a new case becomes contacted (a queued
/// reply is not a contact: it may never leave). Refused or expired: the case's history says so, for the owner to act.
/// </summary>
public sealed class CaseReplyComposer(PromoterDb db, WebhookEvents webhookEvents) : IEmailComposer
{
    public string Kind => EmailKinds.CaseReply;

    public Task<Composition> ComposeAsync(OutboundEmail email, CancellationToken ct) => Task.FromResult(EmailDispatcher.Stored(email));

    public async Task RecordAsync(OutboundEmail email, EmailOutcome outcome, CancellationToken ct)
    {
        if (outcome.Status == EmailStatus.Pending || email.RelatedId is not { } caseId
            || await db.Cases.SingleOrDefaultAsync(c => c.Id == caseId, ct) is not { } c)
        {
            return;
        }

        if (outcome.Status == EmailStatus.Sent)
        {
            c.FirstContactedAt ??= outcome.At;
            if (c.Status == CaseStatus.New)
            {
                c.Status = CaseStatus.Contacted;
                Log(c, outcome.At, ActivityKind.StatusChanged, "Status: new → contacted (the mail relay accepted the reply).");
            }
        }
        else
        {
            Log(c, outcome.At, ActivityKind.ReplyUndelivered, $"The reply to {email.ToAddress} was not delivered ({outcome.Status.ToString().ToLowerInvariant()}): {outcome.Error}");
        }

        c.UpdatedAt = outcome.At;
        webhookEvents.Add(WebhookEventTypes.CaseUpdated, c.Id.ToString(), CaseDto.From(c, outcome.At));
    }

    private void Log(FollowUpCase c, DateTime at, ActivityKind kind, string body) =>
        db.CaseActivities.Add(new CaseActivity { CaseId = c.Id, At = at, Kind = kind, Body = body, Actor = "system" });
}
