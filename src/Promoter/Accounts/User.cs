using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Promoter.Accounts;

/// <summary>A person who signs in. Belongs to workspaces through <see cref="Membership"/>.</summary>
public sealed class User
{
    public Guid Id { get; set; }
    public required string Email { get; set; }

    /// <summary>Lower-case invariant form used for look-up and uniqueness.</summary>
    public required string NormalizedEmail { get; set; }

    public string DisplayName { get; set; } = "";
    public required string PasswordHash { get; set; }

    /// <summary>Changes whenever credentials change, which signs out every existing session.</summary>
    public required string SecurityStamp { get; set; }

    public int FailedSignIns { get; set; }
    public DateTime? LockedUntil { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.Property(u => u.Email).HasMaxLength(254);
        b.Property(u => u.NormalizedEmail).HasMaxLength(254);
        b.Property(u => u.DisplayName).HasMaxLength(200);
        b.Property(u => u.PasswordHash).HasMaxLength(512);
        b.Property(u => u.SecurityStamp).HasMaxLength(64);
        b.HasIndex(u => u.NormalizedEmail).IsUnique();
    }
}
