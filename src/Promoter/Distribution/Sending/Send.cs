using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Distribution.Sending;

public enum SendKind
{
    /// <summary>Once, to a chosen set of contacts.</summary>
    Batch,

    /// <summary>Every <see cref="Send.EveryDays"/> days to each contact, spread evenly over the days.</summary>
    Recurring,
}

/// <summary>
/// A group of invitations sent together: a one-off batch or a recurring relationship send. The dashboard shows each
/// send's status and response rate; invitations from touchpoint triggers have no send.
/// </summary>
public sealed class Send : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid SurveyId { get; set; }
    public SendKind Kind { get; set; }
    public required string Name { get; set; }

    /// <summary>For a recurring send: each contact is surveyed again this many days after the last time.</summary>
    public int? EveryDays { get; set; }

    /// <summary>A recurring send stops enrolling and inviting when switched off; a batch is inactive once fully queued.</summary>
    public bool Active { get; set; } = true;

    /// <summary>How many contacts a batch sets out to invite (its progress is invitations created / planned).</summary>
    public int? Planned { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

internal sealed class SendConfiguration : IEntityTypeConfiguration<Send>
{
    public void Configure(EntityTypeBuilder<Send> b)
    {
        b.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.Name).HasMaxLength(200);
        b.HasIndex(s => new { s.WorkspaceId, s.CreatedAt });
        b.HasIndex(s => new { s.Kind, s.Active });
        b.HasOne<Surveys.Survey>().WithMany().HasForeignKey(s => s.SurveyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
