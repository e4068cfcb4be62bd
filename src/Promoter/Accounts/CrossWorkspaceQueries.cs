using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Integrations.Webhooks;
using Promoter.Loop;
using Promoter.Surveys;

namespace Promoter.Accounts;

/// <summary>
/// The only reads that look across workspaces, each needed before a workspace is known (sign-in, API key look-up,
/// a respondent's survey link), or by a system job that serves every workspace.
/// A test keeps <c>IgnoreQueryFilters</c> out of every other file, so review this one closely.
/// </summary>
public static class CrossWorkspaceQueries
{
    public static IQueryable<Membership> MembershipsOfUser(PromoterDb db, Guid userId) =>
        db.Memberships.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(m => m.UserId == userId);

    public static IQueryable<ApiKey> ApiKeyByPrefix(PromoterDb db, string prefix) =>
        db.ApiKeys.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(k => k.Prefix == prefix);

    public static IQueryable<ApiKey> ApiKeyById(PromoterDb db, Guid id) =>
        db.ApiKeys.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(k => k.Id == id);

    /// <summary>
    /// For operator commands (<c>import responses</c>, <c>export responses</c>) that name a survey without a workspace: the survey, which
    /// names its workspace. Only the workspace id leaves this method; everything else is read inside that workspace.
    /// </summary>
    public static IQueryable<Guid> WorkspaceOfSurvey(PromoterDb db, Guid surveyId) =>
        db.Surveys.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(s => s.Id == surveyId).Select(s => s.WorkspaceId);

    /// <summary>For operator tooling (CLI, background jobs) that receives a workspace id and must check it exists.</summary>
    public static IQueryable<Membership> AllMemberships(PromoterDb db) =>
        db.Memberships.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]);

    /// <summary>
    /// A respondent's anonymous link names only the survey: its id is the credential, and it tells which workspace
    /// to enter. Callers read the workspace id and then use ordinary, filtered queries.
    /// </summary>
    public static IQueryable<Survey> SurveyForRespondent(PromoterDb db, Guid surveyId) =>
        db.Surveys.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(s => s.Id == surveyId);

    /// <summary>A personal survey link carries the invitation token (≥128 random bits): the same role as the survey id above.</summary>
    public static IQueryable<Invitation> InvitationForRespondent(PromoterDb db, string token) =>
        db.Invitations.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(i => i.Token == token);

    /// <summary>An unsubscribe link carries the invitation's unsubscribe token (128 random bits): it names the workspace to enter.</summary>
    public static IQueryable<Invitation> InvitationByUnsubscribeToken(PromoterDb db, string token) =>
        db.Invitations.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(i => i.UnsubscribeToken == token);

    /// <summary>For the recurring-send worker, which serves every workspace: the recurring sends that are switched on.</summary>
    public static IQueryable<Distribution.Sending.Send> ActiveRecurringSends(PromoterDb db) =>
        db.Sends.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(s => s.Kind == Distribution.Sending.SendKind.Recurring && s.Active);

    /// <summary>
    /// For the batch-send runner, which serves every workspace: jobs waiting or running without a live lease. The runner
    /// leases one with a conditional UPDATE on this query, then works on it in a scope bound to its workspace.
    /// </summary>
    public static IQueryable<Distribution.Batches.BatchJob> DueBatchJobs(PromoterDb db, DateTime now) =>
        db.BatchJobs.IgnoreQueryFilters([PromoterDb.WorkspaceFilter])
            .Where(j => (j.Status == Distribution.Batches.BatchJobStatus.Queued || j.Status == Distribution.Batches.BatchJobStatus.Running)
                        && (j.LeaseUntil == null || j.LeaseUntil < now));

    /// <summary>For the recurring-send worker: contacts whose next round is due; each is claimed inside its workspace.</summary>
    public static IQueryable<Distribution.Recurring.RecurringEnrollment> DueRecurringEnrollments(PromoterDb db, DateTime now) =>
        db.RecurringEnrollments.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(e => e.NextDueAt <= now);

    /// <summary>For the response finalizer: provisional scores untouched since the cutoff, in every workspace.</summary>
    public static IQueryable<SurveyResponse> ProvisionalResponsesBefore(PromoterDb db, DateTime cutoff) =>
        db.Responses.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(r => r.Status == ResponseStatus.Provisional && r.UpdatedAt < cutoff);

    /// <summary>For the response finalizer: the invitations its newly final responses answer.</summary>
    public static IQueryable<Invitation> InvitationsWithIds(PromoterDb db, IReadOnlyCollection<Guid> ids) =>
        db.Invitations.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(i => ids.Contains(i.Id));

    /// <summary>
    /// For the webhook dispatcher, which serves every workspace: deliveries due now, not leased by another node, to an
    /// enabled endpoint. The dispatcher claims some of them with one conditional UPDATE on this same query (so two
    /// nodes never both win a row), then handles each in a scope bound to the delivery's own workspace.
    /// Ignoring the filter at the root covers the subquery on endpoints too.
    /// </summary>
    public static IQueryable<WebhookDelivery> DueWebhookDeliveries(PromoterDb db, DateTime now) =>
        db.WebhookDeliveries.IgnoreQueryFilters([PromoterDb.WorkspaceFilter])
            .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now && (d.LeaseUntil == null || d.LeaseUntil <= now)
                        && db.WebhookEndpoints.Any(e => e.Id == d.EndpointId && e.Enabled));

    /// <summary>For the webhook dispatcher: the deliveries one of its runs claimed (the lease token is a fresh Guid per run).</summary>
    public static IQueryable<WebhookDelivery> WebhookDeliveriesLeasedBy(PromoterDb db, Guid leaseOwner) =>
        db.WebhookDeliveries.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(d => d.LeaseOwner == leaseOwner);

    /// <summary>For webhook retention: events older than the cutoff with nothing left to deliver (their logs go with them).</summary>
    public static IQueryable<WebhookEvent> ExpiredWebhookEvents(PromoterDb db, DateTime cutoff) =>
        db.WebhookEvents.IgnoreQueryFilters([PromoterDb.WorkspaceFilter])
            .Where(e => e.OccurredAt < cutoff
                        && !db.WebhookDeliveries.Any(d => d.EventId == e.Id && d.Status == WebhookDeliveryStatus.Pending));

    /// <summary>For the mail dispatcher, which serves every workspace: pending mail that is due and not leased by a live run.</summary>
    public static IQueryable<Platform.Email.OutboundEmail> DueEmails(PromoterDb db, DateTime now) =>
        db.Set<Platform.Email.OutboundEmail>().IgnoreQueryFilters([PromoterDb.WorkspaceFilter])
            .Where(e => e.Status == Platform.Email.EmailStatus.Pending && e.NextAttemptAt <= now && (e.LeaseUntil == null || e.LeaseUntil < now));

    public static IQueryable<Platform.Email.OutboundEmail> EmailsLeasedBy(PromoterDb db, Guid lease) =>
        db.Set<Platform.Email.OutboundEmail>().IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(e => e.LeaseOwner == lease);

    /// <summary>For the mail retention purge: finished mail completed before the cutoff.</summary>
    public static IQueryable<Platform.Email.OutboundEmail> FinishedEmailsBefore(PromoterDb db, DateTime cutoff) =>
        db.Set<Platform.Email.OutboundEmail>().IgnoreQueryFilters([PromoterDb.WorkspaceFilter])
            .Where(e => e.Status != Platform.Email.EmailStatus.Pending && e.CompletedAt < cutoff);
    /// <summary>Responses waiting for the loop worker, oldest first, from every workspace.</summary>
    public static IQueryable<LoopQueueItem> LoopQueue(PromoterDb db) =>
        db.LoopQueue.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).OrderBy(q => q.Id);

    /// <summary>Cases nobody contacted by their due time and not yet escalated, from every workspace.</summary>
    public static IQueryable<FollowUpCase> OverdueUnescalatedCases(PromoterDb db, DateTime now) =>
        db.Cases.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(c => c.Status == CaseStatus.New && c.DueAt < now && c.EscalatedAt == null);

    /// <summary>The case a respondent's reply link points to, before its workspace is known.</summary>
    public static IQueryable<FollowUpCase> CaseByReplyToken(PromoterDb db, string token) =>
        db.Cases.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(c => c.ReplyToken == token);

    /// <summary>Alert posts due for an attempt, from every workspace.</summary>
    public static IQueryable<AlertPost> DueAlertPosts(PromoterDb db, DateTime now) =>
        db.AlertPosts.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(p => p.Status == AlertPostStatus.Pending && p.NextAttemptAt <= now);

    /// <summary>Enabled rules that collect their alerts into digests, from every workspace.</summary>
    public static IQueryable<AlertRule> DigestRules(PromoterDb db) =>
        db.AlertRules.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(r => r.Enabled && r.Digest != AlertDigest.None);

    /// <summary>
    /// For the nightly churn rescoring, which serves every workspace: the runs of one night (to see which workspaces still
    /// need one) and the unfinished runs without a live lease (one is claimed by a conditional UPDATE on this query).
    /// </summary>
    public static IQueryable<Churn.ChurnRun> ChurnRunsOfNight(PromoterDb db, DateTime night) =>
        db.ChurnRuns.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(r => r.Night == night);

    public static IQueryable<Churn.ChurnRun> DueChurnRuns(PromoterDb db, DateTime now) =>
        db.ChurnRuns.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(r => r.FinishedAt == null && (r.LeaseUntil == null || r.LeaseUntil < now));
}
