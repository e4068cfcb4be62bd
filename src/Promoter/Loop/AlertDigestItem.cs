using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Loop;

/// <summary>A response waiting for its rule's next hourly or daily digest; deleted when the digest is queued.</summary>
public sealed class AlertDigestItem : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid RuleId { get; set; }
    public long ResponseId { get; set; }
    public DateTime CreatedAt { get; set; }
}

internal sealed class AlertDigestItemConfiguration : IEntityTypeConfiguration<AlertDigestItem>
{
    public void Configure(EntityTypeBuilder<AlertDigestItem> b)
    {
        b.ToTable("alert_digest_items");
        b.HasIndex(i => new { i.RuleId, i.ResponseId }).IsUnique();
        b.HasOne<AlertRule>().WithMany().HasForeignKey(i => i.RuleId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Collect.SurveyResponse>().WithMany().HasForeignKey(i => i.ResponseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(i => i.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
