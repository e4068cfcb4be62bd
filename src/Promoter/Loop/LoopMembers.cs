using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;

namespace Promoter.Loop;

/// <summary>A workspace member as the loop sees them: who can own a case and where their mail goes.</summary>
public sealed record LoopMember(Guid UserId, string Email, string DisplayName, Role Role)
{
    public string Label => string.IsNullOrWhiteSpace(DisplayName) ? Email : DisplayName;

    public bool CanOwnCases => Role != Role.Viewer;

    /// <summary>A team member or account owner named in a response: by email, or by display name.</summary>
    public bool IsNamed(string? name) =>
        !string.IsNullOrWhiteSpace(name)
        && (string.Equals(Email, name.Trim(), StringComparison.OrdinalIgnoreCase) || string.Equals(DisplayName, name.Trim(), StringComparison.OrdinalIgnoreCase));
}

public static class LoopMembers
{
    /// <summary>The current workspace's members (the membership filter keeps other workspaces out).</summary>
    public static async Task<List<LoopMember>> ListAsync(PromoterDb db, CancellationToken ct) =>
        (await db.Memberships.AsNoTracking().OrderBy(m => m.CreatedAt)
            .Select(m => new { m.UserId, m.User!.Email, m.User.DisplayName, m.Role }).ToListAsync(ct))
        .Select(m => new LoopMember(m.UserId, m.Email, m.DisplayName, m.Role)).ToList();
}
