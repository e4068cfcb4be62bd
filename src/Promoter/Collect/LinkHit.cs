using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Collect;

/// <summary>
/// A GET of an emailed survey link. Recorded, never turned into a response: mail scanners open links too.
/// <see cref="Suspected"/> marks hits that look like a scanner (many scores within seconds, or right after delivery).
/// </summary>
public sealed class LinkHit : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid InvitationId { get; set; }
    public short? Score { get; set; }
    public DateTime At { get; set; }
    public double? SecondsSinceDelivery { get; set; }
    public string? UserAgentClass { get; set; }
    public string? NetworkPrefix { get; set; }
    public bool Suspected { get; set; }
}

internal sealed class LinkHitConfiguration : IEntityTypeConfiguration<LinkHit>
{
    public void Configure(EntityTypeBuilder<LinkHit> b)
    {
        b.Property(h => h.UserAgentClass).HasMaxLength(32);
        b.Property(h => h.NetworkPrefix).HasMaxLength(64);
        b.HasIndex(h => new { h.InvitationId, h.At });
    }
}
