using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Distribution.Sending;
using Promoter.Platform.Email;

namespace Promoter.Distribution.Pages;

/// <summary>One row of the sending page: a batch, a recurring send, or a survey's touchpoint triggers.</summary>
public sealed record SendRow(string Name, string Kind, Guid SurveyId, string SurveyName, DateTime? CreatedAt, bool Active, int? Planned,
    IReadOnlyDictionary<InvitationStatus, int> Counts)
{
    public int Total => Counts.Values.Sum();
    public int Count(InvitationStatus status) => Counts.GetValueOrDefault(status);

    /// <summary>Invitations that reached the person's mailbox: sent, opened, clicked or answered.</summary>
    public int Delivered => Count(InvitationStatus.Sent) + Count(InvitationStatus.Opened) + Count(InvitationStatus.Clicked) + Count(InvitationStatus.Responded);

    public int NotSent => Count(InvitationStatus.Throttled) + Count(InvitationStatus.Suppressed) + Count(InvitationStatus.Bounced)
                          + Count(InvitationStatus.Expired) + Count(InvitationStatus.Cancelled);

    /// <summary>Responses per delivered invitation; null before anything was delivered.</summary>
    public double? ResponseRate => Delivered == 0 ? null : (double)Count(InvitationStatus.Responded) / Delivered;
}

public sealed record MailBacklog(int Pending, int Sent, int Failed, int Expired, int Suppressed, int Cancelled, DateTime? NextAttemptAt, string? LastError);

/// <summary>Reads what the sending page shows: invitations per send by status, and the survey mail still in the outbox.</summary>
public sealed class SendingStatus(PromoterDb db)
{
    public async Task<List<SendRow>> RowsAsync(CancellationToken ct)
    {
        var counts = await db.Invitations.AsNoTracking()
            .GroupBy(i => new { i.SendId, i.SurveyId, i.Status })
            .Select(g => new { g.Key.SendId, g.Key.SurveyId, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        var sends = await db.Sends.AsNoTracking().ToListAsync(ct);
        var surveys = await db.Surveys.AsNoTracking().Select(s => new { s.Id, s.Name }).ToDictionaryAsync(s => s.Id, s => s.Name, ct);
        string SurveyName(Guid id) => surveys.GetValueOrDefault(id) ?? "(deleted survey)";

        var rows = sends.Select(s => new SendRow(s.Name, s.Kind == SendKind.Recurring ? $"every {s.EveryDays} days" : "batch", s.SurveyId, SurveyName(s.SurveyId),
                s.CreatedAt, s.Active, s.Planned,
                counts.Where(c => c.SendId == s.Id).ToDictionary(c => c.Status, c => c.Count)))
            .OrderByDescending(r => r.CreatedAt).ToList();
        rows.AddRange(counts.Where(c => c.SendId is null).GroupBy(c => c.SurveyId)
            .Select(g => new SendRow("Touchpoint triggers (API)", "triggered", g.Key, SurveyName(g.Key), null, true, null,
                g.ToDictionary(c => c.Status, c => c.Count)))
            .OrderBy(r => r.SurveyName));
        return rows;
    }

    public async Task<MailBacklog> QueueAsync(CancellationToken ct)
    {
        var mail = db.OutboundEmails.AsNoTracking().Where(e => e.Kind == EmailKinds.Invitation || e.Kind == EmailKinds.Reminder);
        var byStatus = await mail.GroupBy(e => e.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var next = await mail.Where(e => e.Status == EmailStatus.Pending).OrderBy(e => e.NextAttemptAt)
            .Select(e => new { e.NextAttemptAt, e.LastError }).FirstOrDefaultAsync(ct);
        return new MailBacklog(byStatus.GetValueOrDefault(EmailStatus.Pending), byStatus.GetValueOrDefault(EmailStatus.Sent), byStatus.GetValueOrDefault(EmailStatus.Failed),
            byStatus.GetValueOrDefault(EmailStatus.Expired), byStatus.GetValueOrDefault(EmailStatus.Suppressed), byStatus.GetValueOrDefault(EmailStatus.Cancelled),
            next?.NextAttemptAt, next?.LastError);
    }

    public Task<List<Invitation>> RecentAsync(int count, CancellationToken ct) =>
        db.Invitations.AsNoTracking().OrderByDescending(i => i.CreatedAt).ThenByDescending(i => i.Id).Take(count).ToListAsync(ct);
}
