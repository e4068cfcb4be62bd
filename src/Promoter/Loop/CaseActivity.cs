using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Loop;

public enum ActivityKind
{
    Opened,
    Assigned,
    StatusChanged,
    Note,
    ReplySent,
    RespondentReplied,
    LaterResponse,
    Tagged,
    RootCause,
    Escalated,

    /// <summary>The agent reached the respondent outside Promoter's mail (a call, a chat, in person) and said so.</summary>
    ContactLogged,

    /// <summary>A reply's mail was refused by the relay or expired in the outbox.</summary>
    ReplyUndelivered,
}

/// <summary>One line of a case's history and thread. Notes are internal; replies go to and come from the respondent.</summary>
public sealed class CaseActivity : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid CaseId { get; set; }
    public DateTime At { get; set; }

    /// <summary><c>user:{id}</c>, <c>apikey:{prefix}</c>, <c>respondent</c> or <c>system</c>.</summary>
    public required string Actor { get; set; }

    public ActivityKind Kind { get; set; }
    public string? Body { get; set; }

    /// <summary>For <see cref="ActivityKind.ReplySent"/>: the reply's mail in the outbox, whose state the case shows.</summary>
    public Guid? EmailId { get; set; }
}

internal sealed class CaseActivityConfiguration : IEntityTypeConfiguration<CaseActivity>
{
    public void Configure(EntityTypeBuilder<CaseActivity> b)
    {
        b.ToTable("case_activities");
        b.Property(a => a.Actor).HasMaxLength(100);
        b.Property(a => a.Kind).HasConversion<string>().HasMaxLength(24);
        b.Property(a => a.Body).HasMaxLength(20_000);
        b.HasIndex(a => new { a.CaseId, a.At });
        b.HasOne<FollowUpCase>().WithMany().HasForeignKey(a => a.CaseId).OnDelete(DeleteBehavior.Cascade);
    }
}
