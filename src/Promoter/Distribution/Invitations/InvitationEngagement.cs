using Microsoft.EntityFrameworkCore;
using Promoter.Data;

namespace Promoter.Distribution.Invitations;

/// <summary>
/// Moves an invitation from sent to opened (the personal page was viewed) or clicked (a score button in the mail was
/// followed). Only visits the scanner guard did not suspect count, so a security scanner opening every link right
/// after delivery does not inflate the open rate. Never moves backwards: responded stays responded.
/// </summary>
public static class InvitationEngagement
{
    public static Task<int> MarkAsync(PromoterDb db, Guid invitationId, bool clicked, DateTime now, CancellationToken ct) =>
        clicked
            ? db.Invitations.Where(i => i.Id == invitationId && (i.Status == InvitationStatus.Sent || i.Status == InvitationStatus.Opened))
                .ExecuteUpdateAsync(s => s
                    .SetProperty(i => i.Status, InvitationStatus.Clicked)
                    .SetProperty(i => i.OpenedAt, i => i.OpenedAt ?? now)
                    .SetProperty(i => i.ClickedAt, i => i.ClickedAt ?? now), ct)
            : db.Invitations.Where(i => i.Id == invitationId && i.Status == InvitationStatus.Sent)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(i => i.Status, InvitationStatus.Opened)
                    .SetProperty(i => i.OpenedAt, i => i.OpenedAt ?? now), ct);
}
