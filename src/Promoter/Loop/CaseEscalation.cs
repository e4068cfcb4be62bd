using System.Text;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter.Loop;

/// <summary>
/// Escalates each case nobody contacted by its due time, once: it is marked escalated, its history says so, and the
/// workspace's escalation list (else its owners and admins) and the case owner get a mail — all in one transaction, so a
/// crash either escalates fully or not at all, and the mark keeps a second run (or node) from escalating again.
/// </summary>
public sealed class CaseEscalation(IServiceScopeFactory scopes, TimeProvider clock)
{
    public async Task<int> EscalateOverdueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<(Guid Id, Guid WorkspaceId)> overdue;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
            overdue = (await CrossWorkspaceQueries.OverdueUnescalatedCases(db, now).OrderBy(c => c.DueAt).Take(200)
                .Select(c => new { c.Id, c.WorkspaceId }).ToListAsync(ct)).Select(c => (c.Id, c.WorkspaceId)).ToList();
        }

        var escalated = 0;
        foreach (var (id, workspaceId) in overdue)
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
            if (await EscalateAsync(scope.ServiceProvider, id, now, ct))
            {
                escalated++;
            }
        }

        return escalated;
    }

    private static async Task<bool> EscalateAsync(IServiceProvider services, Guid caseId, DateTime now, CancellationToken ct)
    {
        var db = services.GetRequiredService<PromoterDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // The conditional update is the claim: of two runs, only one changes the row.
        var claimed = await db.Cases.Where(c => c.Id == caseId && c.EscalatedAt == null && c.Status == CaseStatus.New)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.EscalatedAt, now).SetProperty(c => c.UpdatedAt, now), ct);
        if (claimed == 0)
        {
            return false;
        }

        var theCase = await db.Cases.AsNoTracking().SingleAsync(c => c.Id == caseId, ct);
        var settings = await db.LoopSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new LoopSettings();
        var members = await LoopMembers.ListAsync(db, ct);
        var chosen = LoopSettings.Ids(settings.EscalationUserIds);
        var recipients = (chosen.Count > 0 ? members.Where(m => chosen.Contains(m.UserId)) : members.Where(m => m.Role is Role.Owner or Role.Admin)).ToList();
        if (theCase.OwnerUserId is { } ownerId && members.FirstOrDefault(m => m.UserId == ownerId) is { } owner && !recipients.Contains(owner))
        {
            recipients.Add(owner);
        }

        var ownerName = theCase.OwnerUserId is { } o ? members.FirstOrDefault(m => m.UserId == o)?.Label : null;
        db.CaseActivities.Add(new CaseActivity
        {
            CaseId = caseId,
            At = now,
            Actor = "system",
            Kind = ActivityKind.Escalated,
            Body = $"Overdue: not contacted by {theCase.DueAt:yyyy-MM-dd HH:mm} UTC. Escalated to {string.Join(", ", recipients.Select(r => r.Label))}.",
        });
        var content = Mail(theCase, ownerName, $"{services.GetRequiredService<PublicUrls>().Base}/cases/{caseId}");
        var outbox = services.GetRequiredService<EmailOutbox>();
        foreach (var recipient in recipients)
        {
            outbox.Enqueue(EmailKinds.Escalation, recipient.Email, content, relatedId: caseId, dedupeKey: $"escalation:{caseId:N}:{recipient.UserId:N}");
        }

        services.GetRequiredService<WebhookEvents>().Add(WebhookEventTypes.CaseUpdated, caseId.ToString(), CaseDto.From(theCase, now));
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // SaveChanges woke the mail dispatcher before the commit; wake it again now that the mail is visible.
        services.GetRequiredService<EmailSignal>().Notify();
        return true;
    }

    private static EmailContent Mail(FollowUpCase c, string? ownerName, string url)
    {
        var due = c.DueAt?.ToString("yyyy-MM-dd HH:mm 'UTC'", System.Globalization.CultureInfo.InvariantCulture) ?? "";
        var subject = $"Overdue case: {CaseDto.CategoryName(c.Category)} ({c.Score}), due {due}";
        var text = new StringBuilder()
            .Append("Nobody has contacted this respondent yet; the case was due ").Append(due).Append(".\n")
            .Append("Owner: ").Append(ownerName ?? "unassigned").Append('\n')
            .Append("Open the case: ").Append(url).Append('\n').ToString();
        var html = $"<p>Nobody has contacted this respondent yet; the case was due {AlertMail.E(due)}.</p>" +
                   $"<p>Owner: {AlertMail.E(ownerName ?? "unassigned")}</p><p><a href=\"{AlertMail.E(url)}\">Open the case</a></p>";
        return new EmailContent(subject, html, text);
    }
}
