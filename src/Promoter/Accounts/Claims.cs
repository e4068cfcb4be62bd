using System.Globalization;
using System.Security.Claims;

namespace Promoter.Accounts;

/// <summary>Claim names Promoter puts on a principal, and typed reads of them.</summary>
public static class PromoterClaims
{
    public const string UserId = "sub";
    public const string WorkspaceId = "ws";
    public const string Role = "role";
    public const string SecurityStamp = "stamp";
    public const string IssuedAt = "iat";
    public const string ApiKeyPrefix = "key";

    public static Guid? WorkspaceOf(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(WorkspaceId), out var id) ? id : null;

    public static Guid? UserIdOf(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(UserId), out var id) ? id : null;

    public static Role? RoleOf(this ClaimsPrincipal user) =>
        Roles.TryParse(user.FindFirstValue(Role), out var role) ? role : null;

    public static bool HasScope(this ClaimsPrincipal user, string scope) => user.HasClaim(Scopes.ClaimType, scope);

    /// <summary>How the audit log names whoever acts: <c>user:{id}</c>, <c>apikey:{prefix}</c>.</summary>
    public static string ActorOf(this ClaimsPrincipal user) =>
        user.FindFirstValue(ApiKeyPrefix) is { } prefix ? $"apikey:{prefix}"
        : user.FindFirstValue(UserId) is { } id ? $"user:{id}"
        : "anonymous";

    public static DateTimeOffset? IssuedAtOf(this ClaimsPrincipal user) =>
        long.TryParse(user.FindFirstValue(IssuedAt), NumberStyles.None, CultureInfo.InvariantCulture, out var s)
            ? DateTimeOffset.FromUnixTimeSeconds(s)
            : null;
}
