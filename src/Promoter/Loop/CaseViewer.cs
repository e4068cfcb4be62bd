using System.Security.Claims;
using Promoter.Accounts;

namespace Promoter.Loop;

/// <summary>
/// Who looks at cases and what they may see: agents their own and unassigned cases; viewers everything, read-only;
/// managers, admins, owners and API keys (whose scopes decide) everything.
/// </summary>
public sealed record CaseViewer(Guid? UserId, Role? Role, string Actor, bool CanWrite)
{
    public static CaseViewer Of(ClaimsPrincipal user) => new(user.UserIdOf(), user.RoleOf(), user.ActorOf(), user.HasScope(Scopes.CasesWrite));

    public bool SeesAll => Role != Accounts.Role.Agent;

    /// <summary>Agents may take a case or give it up; assigning to someone else is for managers and up.</summary>
    public bool MayAssignOthers => Role is null or Accounts.Role.Owner or Accounts.Role.Admin or Accounts.Role.Manager;

    public IQueryable<FollowUpCase> Visible(IQueryable<FollowUpCase> cases) =>
        SeesAll ? cases : cases.Where(c => c.OwnerUserId == UserId || c.OwnerUserId == null);

    public bool Sees(FollowUpCase c) => SeesAll || c.OwnerUserId == null || c.OwnerUserId == UserId;
}
