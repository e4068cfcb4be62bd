using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Core;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter.Loop;

/// <summary>
/// What happens after one response became final, in one transaction with the removal of its queue row: it joins the
/// contact's open case or opens a case by the follow-up policy (owner, due time), and the alert rules it matches queue
/// their mails, posts and digest entries. Run for one workspace by <see cref="LoopProcessor"/>.
/// </summary>
public sealed class ResponseFollowUp(PromoterDb db, TimeProvider clock, WebhookEvents webhookEvents, AlertActions alerts, EmailSignal mailSignal,
    Churn.ContactRiskScorer risk)
{
    public async Task HandleAsync(long queueItemId, long responseId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Whoever deletes the row does the work: another node that got here first leaves nothing to delete.
        if (await db.LoopQueue.Where(q => q.Id == queueItemId).ExecuteDeleteAsync(ct) == 0)
        {
            return;
        }

        var response = await db.Responses.AsNoTracking().SingleOrDefaultAsync(r => r.Id == responseId, ct);
        if (response is { Status: ResponseStatus.Final } && response.Channel != Channels.Import)
        {
            var contact = response.ContactId is { } contactId ? await db.Contacts.AsNoTracking().SingleOrDefaultAsync(c => c.Id == contactId, ct) : null;
            var theCase = await CaseForAsync(response, ct);
            // The new answer (and the case it may have opened) changes the contact's churn risk: rescored in the same
            // transaction, before the alert rules run, so "risk rises above X" sees the new score.
            var (before, after) = await RescoreAsync(response, ct);
            await alerts.QueueAsync(response, contact, theCase, ct, before, after);
        }
        else if (response is { Status: ResponseStatus.Final })
        {
            await RescoreAsync(response, ct);
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // The outbox wakes the dispatcher when SaveChanges runs, which inside this transaction is before the commit: wake it again now.
        mailSignal.Notify();
    }

    private async Task<(int? Before, int? After)> RescoreAsync(SurveyResponse response, CancellationToken ct)
    {
        if (response.ContactId is not { } contactId)
        {
            return (null, null);
        }

        var before = await db.ContactRisks.Where(r => r.ContactId == contactId).Select(r => (int?)r.Score).SingleOrDefaultAsync(ct);
        await db.SaveChangesAsync(ct);
        await risk.RescoreAsync([contactId], ct);
        var after = await db.ContactRisks.Where(r => r.ContactId == contactId).Select(r => (int?)r.Score).SingleOrDefaultAsync(ct);
        return (before, after);
    }

    private async Task<FollowUpCase?> CaseForAsync(SurveyResponse response, CancellationToken ct)
    {
        // A changed answer (a comment added, a score edited) keeps its case.
        if (await db.Cases.SingleOrDefaultAsync(c => c.ResponseId == response.Id, ct) is { } own)
        {
            return own;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (response.ContactId is { } contactId
            && await db.Cases.Where(c => c.ContactId == contactId && (c.Status == CaseStatus.New || c.Status == CaseStatus.Contacted))
                .OrderByDescending(c => c.CreatedAt).FirstOrDefaultAsync(ct) is { } open)
        {
            open.UpdatedAt = now;
            Log(open, now, ActivityKind.LaterResponse, $"Score {response.Score}" + (response.Comment is { } comment ? ": " + comment : ""), "system");
            webhookEvents.Add(WebhookEventTypes.CaseUpdated, open.Id.ToString(), CaseDto.From(open, now));
            return open;
        }

        var settings = await db.LoopSettings.SingleOrDefaultAsync(ct) ?? new LoopSettings();
        var category = NpsCategories.Of(response.Score);
        var slaHours = category switch
        {
            NpsCategory.Detractor => settings.DetractorSlaHours,
            NpsCategory.Passive when !settings.PassivesNeedComment || response.Comment is not null => settings.PassiveSlaHours,
            _ => null,
        };
        if (category == NpsCategory.Promoter || (category == NpsCategory.Passive && slaHours is null))
        {
            return null;
        }

        var members = await LoopMembers.ListAsync(db, ct);
        var owner = OwnerAssignment.Choose(settings, response.TeamMember, PropertyBags.Read(response.Properties), members);
        var created = new FollowUpCase
        {
            Id = Guid.CreateVersion7(),
            ResponseId = response.Id,
            SurveyId = response.SurveyId,
            ContactId = response.ContactId,
            Score = response.Score,
            Category = category,
            OwnerUserId = owner?.UserId,
            Status = CaseStatus.New,
            RespondedAt = response.RespondedAt,
            DueAt = slaHours is { } hours ? response.RespondedAt.AddHours(hours) : null,
            ReplyToken = NewReplyToken(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Cases.Add(created);
        Log(created, now, ActivityKind.Opened, $"Opened for a {CaseDto.CategoryName(category)} response (score {response.Score}).", "system");
        if (owner is not null)
        {
            var who = members.First(m => m.UserId == owner.UserId);
            Log(created, now, ActivityKind.Assigned, $"Assigned to {who.Label} ({RuleText(owner.Rule)}).", "system");
        }

        webhookEvents.Add(WebhookEventTypes.CaseCreated, created.Id.ToString(), CaseDto.From(created, now));
        return created;
    }

    private void Log(FollowUpCase c, DateTime at, ActivityKind kind, string body, string actor) =>
        db.CaseActivities.Add(new CaseActivity { CaseId = c.Id, At = at, Kind = kind, Body = body, Actor = actor });

    private static string RuleText(OwnerRule rule) => rule switch
    {
        OwnerRule.TeamMember => "served the respondent",
        OwnerRule.AccountOwner => "account owner",
        OwnerRule.RoundRobin => "round robin",
        OwnerRule.Fallback => "fallback owner",
        _ => throw new ArgumentOutOfRangeException(nameof(rule), rule, null),
    };

    /// <summary>160 random bits, hex: the respondent's only key to the thread, so unguessable and unenumerable.</summary>
    public static string NewReplyToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));
}
