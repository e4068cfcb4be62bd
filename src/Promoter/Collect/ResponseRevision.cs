using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Collect;

/// <summary>A response as it was before an edit, so a changed answer never erases what was said first.</summary>
public sealed class ResponseRevision : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public long ResponseId { get; set; }
    public int Revision { get; set; }
    public short Score { get; set; }
    public string? Comment { get; set; }
    public string? Answers { get; set; }
    public DateTime RecordedAt { get; set; }
}

internal sealed class ResponseRevisionConfiguration : IEntityTypeConfiguration<ResponseRevision>
{
    public void Configure(EntityTypeBuilder<ResponseRevision> b)
    {
        b.Property(r => r.Comment).HasMaxLength(20_000);
        b.HasIndex(r => new { r.ResponseId, r.Revision }).IsUnique();
        b.HasOne<SurveyResponse>().WithMany().HasForeignKey(r => r.ResponseId).OnDelete(DeleteBehavior.Cascade);
    }
}
