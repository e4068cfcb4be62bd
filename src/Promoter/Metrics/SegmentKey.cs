using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Metrics;

/// <summary>
/// A response property the workspace measures NPS by (region, plan, product…). Declared segments are rolled up
/// like channel and team member, so filters and breakdowns by them stay instant.
/// </summary>
public sealed class SegmentKey : IWorkspaceOwned
{
    public const int MaxPerWorkspace = 10;

    public Guid WorkspaceId { get; set; }
    public required string Key { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class SegmentKeyConfiguration : IEntityTypeConfiguration<SegmentKey>
{
    public void Configure(EntityTypeBuilder<SegmentKey> b)
    {
        b.HasKey(s => new { s.WorkspaceId, s.Key });
        b.Property(s => s.Key).HasMaxLength(64);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
