using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Accounts;

/// <summary>Who did what to which object, kept per workspace. Written in the same transaction as the change.</summary>
public sealed class AuditEntry : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public DateTime At { get; set; }

    /// <summary><c>user:{id}</c>, <c>apikey:{prefix}</c> or <c>system</c>.</summary>
    public required string Actor { get; set; }

    public required string Action { get; set; }
    public required string Target { get; set; }
    public string? Details { get; set; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> b)
    {
        b.Property(a => a.Actor).HasMaxLength(100);
        b.Property(a => a.Action).HasMaxLength(100);
        b.Property(a => a.Target).HasMaxLength(200);
        b.Property(a => a.Details).HasMaxLength(4000);
        b.HasIndex(a => new { a.WorkspaceId, a.At });
        b.HasOne<Workspace>().WithMany().HasForeignKey(a => a.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
