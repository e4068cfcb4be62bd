using System.Security.Claims;
using Promoter.Data;

namespace Promoter.Accounts;

/// <summary>Adds an audit row to the pending changes, so it commits (or not) with the change it describes.</summary>
public sealed class AuditLog(PromoterDb db, TimeProvider clock, IHttpContextAccessor http)
{
    public const string System = "system";

    public string CurrentActor => http.HttpContext?.User is { Identity.IsAuthenticated: true } user ? user.ActorOf() : System;

    public void Record(string action, string target, string? details = null, string? actor = null) =>
        db.AuditEntries.Add(new AuditEntry
        {
            At = clock.GetUtcNow().UtcDateTime,
            Actor = actor ?? CurrentActor,
            Action = action,
            Target = target,
            Details = details is { Length: > 4000 } ? details[..4000] : details,
        });

    public static string ActorFor(ClaimsPrincipal user) => user.ActorOf();
}
