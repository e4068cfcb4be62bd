using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// What Delighted knew about a person that Promoter has no column for: when Delighted last surveyed them
/// (<c>last_sent_at</c> on <c>POST /v1/people</c>), so a migrated integration does not survey people again too soon.
/// </summary>
public sealed class DelightedPerson : IWorkspaceOwned
{
    public Guid ContactId { get; set; }
    public Guid WorkspaceId { get; set; }
    public DateTime LastSentAt { get; set; }
}

internal sealed class DelightedPersonConfiguration : IEntityTypeConfiguration<DelightedPerson>
{
    public void Configure(EntityTypeBuilder<DelightedPerson> b)
    {
        b.ToTable("delighted_people");
        b.HasKey(p => p.ContactId);
        b.HasIndex(p => p.WorkspaceId);
        b.HasOne<Distribution.Contact>().WithMany().HasForeignKey(p => p.ContactId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(p => p.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
