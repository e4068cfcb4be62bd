using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Distribution.Batches;

public enum BatchJobStatus
{
    /// <summary>Waiting for a node to lease it.</summary>
    Queued,

    /// <summary>Being worked through by the node holding the lease; resumed from <see cref="BatchJob.LastContactId"/> by any node once the lease lapses.</summary>
    Running,

    Done,
    Failed,

    /// <summary>Stopped by a person: no more invitations are created, and those whose mail had not left were cancelled.</summary>
    Cancelled,
}

/// <summary>
/// The durable work list of a one-off batch send: which survey, which contacts (a <see cref="Contacts.ContactFilter"/>
/// frozen at <see cref="CreatedAt"/>), and how far it got. Contacts are invited in id order, a chunk per transaction
/// that also moves <see cref="LastContactId"/>, so a crash resumes exactly after the last committed chunk.
/// </summary>
public sealed class BatchJob : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }

    /// <summary>The <see cref="Sending.Send"/> the invitations belong to (same id).</summary>
    public Guid SendId { get; set; }

    public Guid SurveyId { get; set; }

    /// <summary>The contact filter as a query string (<c>locale=sv&amp;property=plan:gold</c>); empty for everyone.</summary>
    public string Filter { get; set; } = "";

    public BatchJobStatus Status { get; set; }

    /// <summary>Contacts with an email address that matched when the send was started.</summary>
    public int Planned { get; set; }

    /// <summary>Invitations created and queued for mail.</summary>
    public int Queued { get; set; }

    /// <summary>Invitations recorded but not mailed: throttled or suppressed (their reason is on the invitation).</summary>
    public int Skipped { get; set; }

    public Guid? LastContactId { get; set; }
    public Guid? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public string? Error { get; set; }
    public string? RequestedBy { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

internal sealed class BatchJobConfiguration : IEntityTypeConfiguration<BatchJob>
{
    public void Configure(EntityTypeBuilder<BatchJob> b)
    {
        b.ToTable("batch_jobs");
        b.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(j => j.Filter).HasMaxLength(2000);
        b.Property(j => j.Error).HasMaxLength(2000);
        b.Property(j => j.RequestedBy).HasMaxLength(320);
        b.HasIndex(j => new { j.Status, j.LeaseUntil });
        b.HasIndex(j => new { j.WorkspaceId, j.CreatedAt });
        b.HasOne<Surveys.Survey>().WithMany().HasForeignKey(j => j.SurveyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(j => j.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
