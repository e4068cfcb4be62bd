using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Platform.Email;

public enum SuppressionReason
{
    /// <summary>The person asked for no more surveys; other mail to them (a reply to their own feedback) still goes.</summary>
    Unsubscribed,

    /// <summary>The mailbox does not exist (5.1.x): nothing is sent to it any more.</summary>
    HardBounce,

    /// <summary>The person reported a mail as spam: nothing is sent to them any more.</summary>
    Complaint,
}

/// <summary>An address the workspace must not mail, checked when each mail is about to go out (not when it is queued).</summary>
public sealed class EmailSuppression : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }

    /// <summary>The address as <see cref="EmailAddresses.Key"/> writes it.</summary>
    public required string EmailKey { get; set; }

    public SuppressionReason Reason { get; set; }

    /// <summary>Where it came from: "link", "one-click", "api", "smtp 550 5.1.1", "import".</summary>
    public required string Source { get; set; }

    public DateTime CreatedAt { get; set; }

    public static bool Blocks(SuppressionReason reason, string kind) =>
        reason != SuppressionReason.Unsubscribed || EmailKinds.IsSurveyMail(kind);
}

internal sealed class EmailSuppressionConfiguration : IEntityTypeConfiguration<EmailSuppression>
{
    public void Configure(EntityTypeBuilder<EmailSuppression> b)
    {
        b.Property(s => s.EmailKey).HasMaxLength(254);
        b.Property(s => s.Reason).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.Source).HasMaxLength(64);
        b.HasIndex(s => new { s.WorkspaceId, s.EmailKey, s.Reason }).IsUnique();
        b.HasIndex(s => new { s.WorkspaceId, s.Reason, s.CreatedAt });
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
