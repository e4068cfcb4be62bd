using Microsoft.EntityFrameworkCore;
using Promoter.Data;

namespace Promoter.Distribution.Invitations;

/// <summary>
/// "Never survey the same person twice within N days", across surveys and channels: an invitation that went out, or a
/// response from any channel (link, widget, API), within the window blocks a new survey. Days are the contact's
/// calendar days, so a quarterly send due on the 90th day is not throttled by the previous one having left a few
/// minutes late.
/// </summary>
public static class ThrottleWindow
{
    public sealed record Hit(DateTime At, string What);

    /// <summary>The start of the window: the local midnight <paramref name="days"/> − 1 days before today.</summary>
    public static DateTime Since(DateTime nowUtc, int days, TimeZoneInfo zone)
    {
        var today = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc), zone).Date;
        return QuietHours.ToUtc(today.AddDays(-(days - 1)), zone);
    }

    /// <summary>The most recent survey of the contact inside the window, other than <paramref name="self"/>; null when none.</summary>
    public static async Task<Hit?> FindAsync(PromoterDb db, Guid contactId, Guid? self, DateTime since, bool includeScheduled, CancellationToken ct)
    {
        var sent = await db.Invitations.AsNoTracking()
            .Where(i => i.ContactId == contactId && i.Id != self && i.SentAt != null && i.SentAt >= since)
            .OrderByDescending(i => i.SentAt).Select(i => new { i.SentAt, i.SurveyId }).FirstOrDefaultAsync(ct);
        if (sent is not null)
        {
            return new Hit(sent.SentAt!.Value, $"an invitation to survey {sent.SurveyId} was sent on {sent.SentAt:yyyy-MM-dd}");
        }

        if (includeScheduled)
        {
            var waiting = await db.Invitations.AsNoTracking()
                .Where(i => i.ContactId == contactId && i.Id != self && i.Status == InvitationStatus.Scheduled)
                .OrderBy(i => i.ScheduledAt).Select(i => new { i.ScheduledAt, i.SurveyId }).FirstOrDefaultAsync(ct);
            if (waiting is not null)
            {
                return new Hit(waiting.ScheduledAt, $"an invitation to survey {waiting.SurveyId} is already scheduled for {waiting.ScheduledAt:yyyy-MM-dd HH:mm} UTC");
            }
        }

        var answered = await db.Responses.AsNoTracking()
            .Where(r => r.ContactId == contactId && r.RespondedAt >= since && (self == null || r.InvitationId == null || r.InvitationId != self))
            .OrderByDescending(r => r.RespondedAt).Select(r => new { r.RespondedAt, r.Channel }).FirstOrDefaultAsync(ct);
        return answered is null ? null : new Hit(answered.RespondedAt, $"they answered a survey ({answered.Channel}) on {answered.RespondedAt:yyyy-MM-dd}");
    }
}
