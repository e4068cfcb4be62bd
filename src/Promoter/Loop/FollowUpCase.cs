using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Core;
using Promoter.Data;

namespace Promoter.Loop;

public enum CaseStatus
{
    New,
    Contacted,
    Resolved,
    Closed,
    WontFix,
}

/// <summary>
/// A response that needs a person: a detractor (or a passive with something to say) gets an owner, a due time from
/// the SLA, a status, tags and a root cause, and a thread with the respondent.
/// </summary>
public sealed class FollowUpCase : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public long ResponseId { get; set; }
    public Guid SurveyId { get; set; }
    public Guid? ContactId { get; set; }
    public short Score { get; set; }
    public NpsCategory Category { get; set; }
    public Guid? OwnerUserId { get; set; }
    public CaseStatus Status { get; set; }

    /// <summary>Comma-separated tags.</summary>
    public string Tags { get; set; } = "";

    public string? RootCause { get; set; }

    /// <summary>When the respondent answered: the SLA and the loop metrics count from here, not from when the case was written.</summary>
    public DateTime RespondedAt { get; set; }

    public DateTime? DueAt { get; set; }
    public DateTime? FirstContactedAt { get; set; }
    public DateTime? ResolvedAt { get; set; }
    public DateTime? ClosedAt { get; set; }
    public DateTime? EscalatedAt { get; set; }

    /// <summary>The respondent's secret link to answer a reply (≥ 128 random bits).</summary>
    public required string ReplyToken { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public bool IsOpen => Status is CaseStatus.New or CaseStatus.Contacted;

    /// <summary>The SLA is about the first contact: a case nobody has contacted by its due time is overdue.</summary>
    public bool IsOverdueAt(DateTime now) => Status == CaseStatus.New && DueAt is { } due && due < now;

    public IReadOnlyList<string> TagList => Tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

internal sealed class FollowUpCaseConfiguration : IEntityTypeConfiguration<FollowUpCase>
{
    public void Configure(EntityTypeBuilder<FollowUpCase> b)
    {
        b.ToTable("cases");
        b.Property(c => c.Category).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(c => c.Tags).HasMaxLength(1000);
        b.Property(c => c.RootCause).HasMaxLength(100);
        b.Property(c => c.ReplyToken).HasMaxLength(64);
        b.HasIndex(c => c.ResponseId).IsUnique();
        b.HasIndex(c => c.ReplyToken).IsUnique();
        b.HasIndex(c => new { c.WorkspaceId, c.Status, c.DueAt });
        b.HasIndex(c => new { c.WorkspaceId, c.OwnerUserId, c.Status });
        b.HasIndex(c => new { c.WorkspaceId, c.ContactId });
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(c => c.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Collect.SurveyResponse>().WithMany().HasForeignKey(c => c.ResponseId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(c => c.IsOpen);
        b.Ignore(c => c.TagList);
    }
}
