using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Accounts;

/// <summary>Password sign-in with per-account lockout (the per-IP limit is the <c>login</c> rate-limit policy).</summary>
public sealed class PasswordSignIn(PromoterDb db, Passwords passwords, TimeProvider clock, ILogger<PasswordSignIn> log)
{
    public const int MaxFailures = 10;
    public static readonly TimeSpan LockoutFor = TimeSpan.FromMinutes(15);

    public enum Outcome
    {
        Success,
        Invalid,
        LockedOut,
        NoWorkspace,
    }

    public async Task<Outcome> PasswordAsync(HttpContext http, string? emailInput, string? password, Guid? preferredWorkspace, CancellationToken ct)
    {
        if (!EmailAddresses.TryNormalize(emailInput, out var email) || string.IsNullOrEmpty(password))
        {
            return Outcome.Invalid;
        }

        var now = clock.GetUtcNow();
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == EmailAddresses.Key(email), ct);
        if (user is null)
        {
            // Spend the same time as a real check so response times do not reveal which emails exist.
            passwords.Verify(new User { Email = "", NormalizedEmail = "", PasswordHash = DummyHash.Value, SecurityStamp = "" }, password);
            return Outcome.Invalid;
        }

        if (user.LockedUntil > now.UtcDateTime)
        {
            return Outcome.LockedOut;
        }

        var result = passwords.Verify(user, password);
        if (result == PasswordVerificationResult.Failed)
        {
            user.FailedSignIns++;
            if (user.FailedSignIns >= MaxFailures)
            {
                user.LockedUntil = now.UtcDateTime + LockoutFor;
                user.FailedSignIns = 0;
                log.LogWarning("Locked user {UserId} after {Failures} failed sign-ins", user.Id, MaxFailures);
            }

            await db.SaveChangesAsync(ct);
            return Outcome.Invalid;
        }

        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            user.PasswordHash = passwords.Hash(user, password);
        }

        user.FailedSignIns = 0;
        user.LockedUntil = null;
        await db.SaveChangesAsync(ct);

        var memberships = await CrossWorkspaceQueries.MembershipsOfUser(db, user.Id).OrderBy(m => m.CreatedAt).ToListAsync(ct);
        var membership = memberships.FirstOrDefault(m => m.WorkspaceId == preferredWorkspace) ?? memberships.FirstOrDefault();
        if (membership is null)
        {
            return Outcome.NoWorkspace;
        }

        await http.SignInAsync(CookieSessions.Scheme, CookieSessions.CreatePrincipal(user, membership, now),
            new AuthenticationProperties { IsPersistent = false, IssuedUtc = now });
        return Outcome.Success;
    }

    public async Task<bool> SwitchWorkspaceAsync(HttpContext http, Guid userId, Guid workspaceId, CancellationToken ct)
    {
        var membership = await CrossWorkspaceQueries.MembershipsOfUser(db, userId).Include(m => m.User)
            .SingleOrDefaultAsync(m => m.WorkspaceId == workspaceId, ct);
        if (membership?.User is null)
        {
            return false;
        }

        var now = clock.GetUtcNow();
        await http.SignInAsync(CookieSessions.Scheme, CookieSessions.CreatePrincipal(membership.User, membership, now),
            new AuthenticationProperties { IsPersistent = false, IssuedUtc = now });
        return true;
    }

    private static readonly Lazy<string> DummyHash = new(() =>
        new Passwords().Hash(new User { Email = "", NormalizedEmail = "", PasswordHash = "", SecurityStamp = "" }, Guid.NewGuid().ToString()));
}
