using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Promoter.Accounts;

/// <summary>A tenant. Everything a customer owns hangs off one workspace and never crosses to another.</summary>
public sealed class Workspace
{
    public Guid Id { get; set; }
    public required string Name { get; set; }

    /// <summary>IANA time zone that dates are bucketed in (days, weeks, months) on dashboards.</summary>
    public string TimeZone { get; set; } = "UTC";

    /// <summary>Never survey the same contact twice within this many days, across surveys and channels.</summary>
    public int ThrottleDays { get; set; } = 90;

    /// <summary>The display name on mail to respondents ("Acme Support"); the workspace name when empty.</summary>
    public string? SenderName { get; set; }

    /// <summary>Where respondents' mail replies go; the relay's sender address when empty.</summary>
    public string? ReplyToEmail { get; set; }

    public DateTime CreatedAt { get; set; }
}

internal sealed class WorkspaceConfiguration : IEntityTypeConfiguration<Workspace>
{
    public void Configure(EntityTypeBuilder<Workspace> b)
    {
        b.Property(w => w.Name).HasMaxLength(200);
        b.Property(w => w.TimeZone).HasMaxLength(64);
        b.Property(w => w.SenderName).HasMaxLength(100);
        b.Property(w => w.ReplyToEmail).HasMaxLength(254);
        b.HasIndex(w => w.Name).IsUnique();
    }
}
