using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Accounts;

/// <summary>
/// Password sign-in, throttled per account and network (<see cref="SignInThrottle"/>; the per-network limit over all
/// accounts is the <c>login</c> rate-limit policy). <see cref="RetryAfter"/> says how long a locked-out attempt waits.
/// </summary>
public sealed class PasswordSignIn(PromoterDb db, Passwords passwords, SignInThrottle throttle, TimeProvider clock, ILogger<PasswordSignIn> log)
{
    public static readonly TimeSpan LockoutFor = SignInThrottle.Window;

    /// <summary>After <see cref="Outcome.LockedOut"/>: how long until this network may try this account again.</summary>
    public TimeSpan RetryAfter { get; private set; }

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

        var network = ClientAddress.PrefixOf(http.Connection.RemoteIpAddress);
        if (user.LockedUntil is { } lockedUntil && lockedUntil > now.UtcDateTime)
        {
            RetryAfter = lockedUntil - now.UtcDateTime;
            return Outcome.LockedOut;
        }

        if (throttle.Wait(user, network) is { } wait)
        {
            RetryAfter = wait;
            return Outcome.LockedOut;
        }

        var result = passwords.Verify(user, password);
        if (result == PasswordVerificationResult.Failed)
        {
            user.FailedSignIns++;
            var (networkWait, lockAccount) = throttle.Fail(user, network);
            if (lockAccount)
            {
                // Failures from many networks at once: lock the account everywhere until the window ends.
                user.LockedUntil = now.UtcDateTime + LockoutFor;
                log.LogWarning("Locked user {UserId}: {Failures} failed sign-ins from several networks", user.Id, SignInThrottle.FailuresAcrossNetworks);
            }

            await db.SaveChangesAsync(ct);
            if (networkWait is { } locked)
            {
                log.LogWarning("Locked user {UserId} for network {Network} after {Failures} failed sign-ins", user.Id, network, SignInThrottle.FailuresPerNetwork);
                RetryAfter = locked;
                return Outcome.LockedOut;
            }

            return Outcome.Invalid;
        }

        throttle.Succeed(user, network);

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
