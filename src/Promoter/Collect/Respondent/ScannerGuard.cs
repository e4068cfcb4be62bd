using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Distribution;

namespace Promoter.Collect.Respondent;

/// <summary>
/// Mail scanners open (and sometimes render) every link in a message. The rules here decide when a visit to a
/// personal link looks like one: right after delivery, several different scores within seconds, or many of the
/// eleven score links. They only ever hold back a provisional score; a respondent's Submit always counts.
/// </summary>
public sealed class ScannerGuard(PromoterDb db, TimeProvider clock)
{
    public static readonly TimeSpan AfterDelivery = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan BurstWindow = TimeSpan.FromSeconds(10);
    public const int DistinctScoresInBurst = 2;
    public const int DistinctScoresInTotal = 3;

    /// <summary>Records a GET of a personal link (never a response) and marks it, and its burst, suspected when the rules say so.</summary>
    public async Task RecordHitAsync(Invitation invitation, short? score, string userAgentClass, string? networkPrefix, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var sinceDelivery = invitation.SentAt is { } sent ? (now - sent).TotalSeconds : (double?)null;
        var hit = new LinkHit
        {
            InvitationId = invitation.Id,
            Score = score,
            At = now,
            SecondsSinceDelivery = sinceDelivery,
            UserAgentClass = userAgentClass,
            NetworkPrefix = networkPrefix,
            Suspected = IsRightAfterDelivery(invitation, now),
        };
        db.LinkHits.Add(hit);
        await db.SaveChangesAsync(ct);
        if (score is null)
        {
            await MarkEngagementAsync(invitation, hit, clicked: false, now, ct);
            return;
        }

        // Evaluated after the insert commits, so of several simultaneous hits at least the last one sees them all.
        var scoreHits = db.LinkHits.Where(h => h.InvitationId == invitation.Id && h.Score != null);
        var burstStart = now - BurstWindow;
        var inBurst = await scoreHits.Where(h => h.At >= burstStart).Select(h => h.Score).Distinct().CountAsync(ct);
        if (inBurst >= DistinctScoresInBurst)
        {
            await scoreHits.Where(h => h.At >= burstStart && !h.Suspected).ExecuteUpdateAsync(s => s.SetProperty(h => h.Suspected, true), ct);
        }

        var inTotal = await scoreHits.Select(h => h.Score).Distinct().CountAsync(ct);
        if (inTotal >= DistinctScoresInTotal)
        {
            await scoreHits.Where(h => !h.Suspected).ExecuteUpdateAsync(s => s.SetProperty(h => h.Suspected, true), ct);
        }

        await MarkEngagementAsync(invitation, hit, clicked: true, now, ct);
    }

    /// <summary>Opened or clicked, unless this visit looks like a scanner's.</summary>
    private async Task MarkEngagementAsync(Invitation invitation, LinkHit hit, bool clicked, DateTime now, CancellationToken ct)
    {
        if (!await db.LinkHits.Where(h => h.Id == hit.Id).Select(h => h.Suspected).SingleAsync(ct))
        {
            await Distribution.Invitations.InvitationEngagement.MarkAsync(db, invitation.Id, clicked, now, ct);
        }
    }

    /// <summary>Why a provisional score from this invitation's page must wait for an explicit Submit; null when it may be kept.</summary>
    public async Task<string?> ProvisionalRefusalAsync(Invitation invitation, CancellationToken ct)
    {
        if (IsRightAfterDelivery(invitation, clock.GetUtcNow().UtcDateTime))
        {
            return "too_soon_after_delivery";
        }

        return await db.LinkHits.AnyAsync(h => h.InvitationId == invitation.Id && h.Suspected, ct) ? "suspected_scanner" : null;
    }

    private static bool IsRightAfterDelivery(Invitation invitation, DateTime now) =>
        invitation.SentAt is { } sent && now - sent < AfterDelivery;
}
