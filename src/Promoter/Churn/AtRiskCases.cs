using Microsoft.EntityFrameworkCore;
using Promoter.Core;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Loop;
using Promoter.Platform;

namespace Promoter.Churn;

/// <summary>
/// "Open a case" from the at-risk list: the contact's open case if there is one; else a new case on the contact's latest
/// response, owned by the person who asked and due in 24 hours, with the risk reasons in its log. A case already made
/// for that response (closed) is returned for reopening rather than duplicated.
/// </summary>
public sealed class AtRiskCases(PromoterDb db, TimeProvider clock, WebhookEvents webhooks, ContactRiskScorer scorer)
{
    public const int DueHours = 24;

    /// <exception cref="NotFoundException">The contact does not exist.</exception>
    /// <exception cref="UnprocessableException">The contact never answered, so there is no response to follow up.</exception>
    public async Task<Guid> OpenAsync(Guid contactId, CaseViewer viewer, CancellationToken ct)
    {
        if (!await db.Contacts.AnyAsync(c => c.Id == contactId, ct))
        {
            throw new NotFoundException("contact");
        }

        var open = await db.Cases.Where(c => c.ContactId == contactId && (c.Status == CaseStatus.New || c.Status == CaseStatus.Contacted))
            .OrderByDescending(c => c.CreatedAt).Select(c => (Guid?)c.Id).FirstOrDefaultAsync(ct);
        if (open is { } openId)
        {
            return openId;
        }

        var response = await db.Responses.AsNoTracking().Where(r => r.ContactId == contactId && r.Status == Collect.ResponseStatus.Final)
                           .OrderByDescending(r => r.RespondedAt).FirstOrDefaultAsync(ct)
                       ?? throw new UnprocessableException("no_response", "This contact never answered a survey, so there is no response to open a case on; reach out from the contact page.");
        if (await db.Cases.Where(c => c.ResponseId == response.Id).Select(c => (Guid?)c.Id).SingleOrDefaultAsync(ct) is { } existing)
        {
            return existing;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var risk = await db.ContactRisks.AsNoTracking().SingleOrDefaultAsync(r => r.ContactId == contactId, ct);
        var created = new FollowUpCase
        {
            Id = Guid.CreateVersion7(),
            ResponseId = response.Id,
            SurveyId = response.SurveyId,
            ContactId = contactId,
            Score = response.Score,
            Category = NpsCategories.Of(response.Score),
            OwnerUserId = viewer.UserId,
            Status = CaseStatus.New,
            RespondedAt = response.RespondedAt,
            DueAt = now.AddHours(DueHours),
            ReplyToken = ResponseFollowUp.NewReplyToken(),
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Cases.Add(created);
        var why = risk is null ? "" : $" Churn risk {risk.Score}: " + string.Join("; ", RiskJson.Read(risk.Reasons).Take(3).Select(r => r.Text)) + ".";
        db.CaseActivities.Add(new CaseActivity { CaseId = created.Id, At = now, Kind = ActivityKind.Opened, Body = "Opened from the at-risk list." + why, Actor = viewer.Actor });
        webhooks.Add(WebhookEventTypes.CaseCreated, created.Id.ToString(), CaseDto.From(created, now));
        await db.SaveChangesAsync(ct);
        await scorer.RescoreAsync([contactId], ct);
        return created.Id;
    }
}
