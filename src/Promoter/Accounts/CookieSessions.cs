using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;

namespace Promoter.Accounts;

/// <summary>
/// Dashboard sessions. The cookie holds only who and which workspace; every request re-reads the membership
/// (role changes and removals apply at once) and the security stamp (a password change signs everyone out),
/// and the role's scopes are attached for this request only.
/// </summary>
public static class CookieSessions
{
    public const string Scheme = CookieAuthenticationDefaults.AuthenticationScheme;
    public const string CookieName = "__Host-promoter";
    public static readonly TimeSpan AbsoluteLifetime = TimeSpan.FromHours(8);

    public static ClaimsPrincipal CreatePrincipal(User user, Membership membership, DateTimeOffset now)
    {
        var identity = new ClaimsIdentity(
            [
                new Claim(PromoterClaims.UserId, user.Id.ToString()),
                new Claim(PromoterClaims.WorkspaceId, membership.WorkspaceId.ToString()),
                new Claim(PromoterClaims.SecurityStamp, user.SecurityStamp),
                new Claim(PromoterClaims.IssuedAt, now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
                new Claim(ClaimTypes.Name, user.DisplayName.Length > 0 ? user.DisplayName : user.Email),
            ],
            Scheme);
        return new ClaimsPrincipal(identity);
    }

    public static async Task ValidateAsync(CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var userId = principal?.UserIdOf();
        var workspaceId = principal?.WorkspaceOf();
        var clock = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>();
        if (principal is null || userId is null || workspaceId is null
            || principal.IssuedAtOf() is not { } issued || clock.GetUtcNow() - issued > AbsoluteLifetime)
        {
            await RejectAsync(context);
            return;
        }

        var db = context.HttpContext.RequestServices.GetRequiredService<PromoterDb>();
        var current = await CrossWorkspaceQueries.MembershipsOfUser(db, userId.Value)
            .Where(m => m.WorkspaceId == workspaceId.Value)
            .Select(m => new { m.Role, m.User!.SecurityStamp, m.User.DisplayName, m.User.Email })
            .SingleOrDefaultAsync(context.HttpContext.RequestAborted);
        if (current is null || current.SecurityStamp != principal.FindFirstValue(PromoterClaims.SecurityStamp))
        {
            await RejectAsync(context);
            return;
        }

        var identity = new ClaimsIdentity(principal.Claims.Where(c => c.Type is not (PromoterClaims.Role or Scopes.ClaimType)), Scheme);
        identity.AddClaim(new Claim(PromoterClaims.Role, current.Role.ToWireName()));
        identity.AddClaims(Scopes.ForRole(current.Role).Select(s => new Claim(Scopes.ClaimType, s)));
        context.ReplacePrincipal(new ClaimsPrincipal(identity));
    }

    private static async Task RejectAsync(CookieValidatePrincipalContext context)
    {
        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(Scheme);
    }

    public static bool IsApiRequest(HttpRequest request) =>
        request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        || request.Path.StartsWithSegments("/v1", StringComparison.OrdinalIgnoreCase);
}
