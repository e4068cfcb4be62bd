using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Accounts;

/// <summary>Creating workspaces and managing who belongs to them. Used by the setup page, the API and the CLI.</summary>
public sealed class WorkspaceAdmin(PromoterDb db, Passwords passwords, TimeProvider clock, AuditLog audit)
{
    public sealed record CreatedWorkspace(Workspace Workspace, User Owner);

    /// <summary>Creates a workspace and its owner. The owner may be an existing user (then the password must match).</summary>
    public async Task<CreatedWorkspace> CreateAsync(string? name, string? ownerEmail, string? ownerPassword, string? ownerName, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var trimmedName = name?.Trim() ?? "";
        if (trimmedName.Length is 0 or > 200 || trimmedName.Any(char.IsControl))
        {
            errors.Add("name", "Give the workspace a name of 1 to 200 characters.");
        }

        if (!EmailAddresses.TryNormalize(ownerEmail, out var email))
        {
            errors.Add("ownerEmail", "Enter a valid email address.");
        }

        if (Passwords.Problem(ownerPassword) is { } passwordProblem)
        {
            errors.Add("ownerPassword", passwordProblem);
        }

        errors.ThrowIfAny();
        if (await db.Workspaces.AnyAsync(w => w.Name == trimmedName, ct))
        {
            throw RequestValidationException.For("name", "A workspace with this name already exists.");
        }

        var now = clock.GetUtcNow();
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == EmailAddresses.Key(email), ct);
        if (user is null)
        {
            user = NewUser(email, ownerName, now.UtcDateTime);
            user.PasswordHash = passwords.Hash(user, ownerPassword!);
            db.Users.Add(user);
        }
        else if (passwords.Verify(user, ownerPassword!) == Microsoft.AspNetCore.Identity.PasswordVerificationResult.Failed)
        {
            throw RequestValidationException.For("ownerPassword", "This email already has an account; enter its password.");
        }

        var workspace = new Workspace { Id = Guid.CreateVersion7(now), Name = trimmedName, CreatedAt = now.UtcDateTime };
        db.Workspaces.Add(workspace);
        db.Workspace.Enter(workspace.Id);
        db.Memberships.Add(new Membership { Id = Guid.CreateVersion7(now), UserId = user.Id, Role = Role.Owner, CreatedAt = now.UtcDateTime });
        db.TimeZoneOffsets.AddRange(Metrics.RollupMaintenance.OffsetRows(workspace.Id, TimeZoneInfo.Utc));
        audit.Record("workspace.created", $"workspace:{workspace.Id}", trimmedName);
        await db.SaveChangesAsync(ct);
        return new CreatedWorkspace(workspace, user);
    }

    public async Task<Membership> AddMemberAsync(string? emailInput, string? displayName, string? password, string? roleInput, Role actingRole, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (!EmailAddresses.TryNormalize(emailInput, out var email))
        {
            errors.Add("email", "Enter a valid email address.");
        }

        if (!Roles.TryParse(roleInput, out var role))
        {
            errors.Add("role", "Role must be one of: " + string.Join(", ", Roles.WireNames) + ".");
        }

        if (displayName is { Length: > 200 })
        {
            errors.Add("displayName", "Use at most 200 characters.");
        }

        errors.ThrowIfAny();
        EnsureMayGrant(actingRole, role);
        var now = clock.GetUtcNow();
        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == EmailAddresses.Key(email), ct);
        if (user is null)
        {
            if (Passwords.Problem(password) is { } problem)
            {
                throw RequestValidationException.For("password", problem);
            }

            user = NewUser(email, displayName, now.UtcDateTime);
            user.PasswordHash = passwords.Hash(user, password!);
            db.Users.Add(user);
        }
        else if (await db.Memberships.AnyAsync(m => m.UserId == user.Id, ct))
        {
            throw new ConflictException("member_exists", "This person is already a member of the workspace.");
        }

        var membership = new Membership { Id = Guid.CreateVersion7(now), UserId = user.Id, User = user, Role = role, CreatedAt = now.UtcDateTime };
        db.Memberships.Add(membership);
        audit.Record("member.added", $"member:{membership.Id}", $"{email} as {role.ToWireName()}");
        await db.SaveChangesAsync(ct);
        return membership;
    }

    /// <summary>
    /// The operator's recovery path (<c>promoter user reset-password</c>): a new password, every session ended (new
    /// security stamp, which also starts the per-network sign-in counters afresh) and the lockout cleared. With
    /// <paramref name="workspaceId"/>, the user must be a member of that workspace, and the reset is audited there.
    /// </summary>
    public async Task<User> ResetPasswordAsync(string? emailInput, string password, Guid? workspaceId, CancellationToken ct)
    {
        if (!EmailAddresses.TryNormalize(emailInput, out var email))
        {
            throw RequestValidationException.For("email", "Enter a valid email address.");
        }

        if (Passwords.Problem(password) is { } problem)
        {
            throw RequestValidationException.For("password", problem);
        }

        var user = await db.Users.SingleOrDefaultAsync(u => u.NormalizedEmail == EmailAddresses.Key(email), ct) ?? throw new NotFoundException("user");
        var membership = workspaceId is { } ws ? await CrossWorkspaceQueries.MembershipsOfUser(db, user.Id).SingleOrDefaultAsync(m => m.WorkspaceId == ws, ct) : null;
        if (workspaceId is not null && membership is null)
        {
            throw new NotFoundException("user");
        }

        user.PasswordHash = passwords.Hash(user, password);
        user.SecurityStamp = NewStamp();
        user.FailedSignIns = 0;
        user.LockedUntil = null;
        if (membership is not null)
        {
            audit.Record("user.password_reset", $"member:{membership.Id}", email, actor: "cli");
        }

        await db.SaveChangesAsync(ct);
        return user;
    }

    public async Task<Membership> ChangeRoleAsync(Guid membershipId, string? roleInput, Role actingRole, CancellationToken ct)
    {
        if (!Roles.TryParse(roleInput, out var role))
        {
            throw RequestValidationException.For("role", "Role must be one of: " + string.Join(", ", Roles.WireNames) + ".");
        }

        var membership = await db.Memberships.Include(m => m.User).SingleOrDefaultAsync(m => m.Id == membershipId, ct)
            ?? throw new NotFoundException("member");
        EnsureMayGrant(actingRole, membership.Role);
        EnsureMayGrant(actingRole, role);
        if (membership.Role == Role.Owner && role != Role.Owner)
        {
            await EnsureAnotherOwnerAsync(membership.Id, ct);
        }

        membership.Role = role;
        audit.Record("member.role_changed", $"member:{membership.Id}", role.ToWireName());
        await db.SaveChangesAsync(ct);
        return membership;
    }

    public async Task RemoveMemberAsync(Guid membershipId, Role actingRole, CancellationToken ct)
    {
        var membership = await db.Memberships.SingleOrDefaultAsync(m => m.Id == membershipId, ct) ?? throw new NotFoundException("member");
        EnsureMayGrant(actingRole, membership.Role);
        if (membership.Role == Role.Owner)
        {
            await EnsureAnotherOwnerAsync(membership.Id, ct);
        }

        db.Memberships.Remove(membership);
        audit.Record("member.removed", $"member:{membership.Id}");
        await db.SaveChangesAsync(ct);
    }

    private async Task EnsureAnotherOwnerAsync(Guid exceptMembership, CancellationToken ct)
    {
        if (!await db.Memberships.AnyAsync(m => m.Role == Role.Owner && m.Id != exceptMembership, ct))
        {
            throw new ConflictException("last_owner", "A workspace needs at least one owner.");
        }
    }

    // Only owners hand out or take away ownership; nobody grants more than they have.
    private static void EnsureMayGrant(Role acting, Role target)
    {
        if (target < acting || (target == Role.Owner && acting != Role.Owner))
        {
            throw new ForbiddenException("role_too_high", "You cannot grant or change a role above your own.");
        }
    }

    private static User NewUser(string email, string? displayName, DateTime now) => new()
    {
        Id = Guid.CreateVersion7(new DateTimeOffset(now)),
        Email = email,
        NormalizedEmail = EmailAddresses.Key(email),
        DisplayName = displayName?.Trim() ?? "",
        PasswordHash = "",
        SecurityStamp = NewStamp(),
        CreatedAt = now,
    };

    private static string NewStamp() => Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
