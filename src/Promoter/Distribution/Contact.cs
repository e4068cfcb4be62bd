using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Distribution;

/// <summary>A person who can be surveyed. Unique per workspace by email (and by phone).</summary>
public sealed class Contact : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public string? Email { get; set; }

    /// <summary>Lower-case email for uniqueness and look-up.</summary>
    public string? EmailKey { get; set; }

    public string? Phone { get; set; }
    public string? Name { get; set; }

    /// <summary>BCP 47 language code the person prefers, e.g. "sv" or "ar".</summary>
    public string? Locale { get; set; }

    /// <summary>IANA time zone, for quiet hours.</summary>
    public string? TimeZone { get; set; }

    /// <summary>Free properties (plan, region, account, team member…) as a JSON object of strings.</summary>
    public string Properties { get; set; } = "{}";

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> b)
    {
        b.Property(c => c.Email).HasMaxLength(254);
        b.Property(c => c.EmailKey).HasMaxLength(254);
        b.Property(c => c.Phone).HasMaxLength(32);
        b.Property(c => c.Name).HasMaxLength(256);
        b.Property(c => c.Locale).HasMaxLength(16);
        b.Property(c => c.TimeZone).HasMaxLength(64);
        b.HasIndex(c => new { c.WorkspaceId, c.EmailKey }).IsUnique();
        b.HasIndex(c => new { c.WorkspaceId, c.Phone }).IsUnique();
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
