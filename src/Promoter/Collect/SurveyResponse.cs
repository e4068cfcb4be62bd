using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Core;
using Promoter.Data;

namespace Promoter.Collect;

/// <summary>
/// Where a response came from. Promoter's own channels are below; responses sent by API may name their own
/// (e.g. "facebook", "helpdesk") so a social-care team can compare them.
/// </summary>
public static partial class Channels
{
    public const string Email = "email";
    public const string Link = "link";
    public const string Widget = "widget";
    public const string Kiosk = "kiosk";
    public const string Api = "api";
    public const string Import = "import";

    public static bool IsValid(string? channel) => channel is not null && Pattern().IsMatch(channel);

    [System.Text.RegularExpressions.GeneratedRegex("^[a-z0-9][a-z0-9_-]{0,31}$")]
    private static partial System.Text.RegularExpressions.Regex Pattern();
}

public enum ResponseStatus
{
    /// <summary>Counts in every metric.</summary>
    Final,

    /// <summary>
    /// A score taken from an emailed link after real interaction, not yet submitted. Becomes final on submit,
    /// or on its own after 30 minutes; never counted before that.
    /// </summary>
    Provisional,
}

/// <summary>One person's answer to a survey. The raw score is stored, never only its category.</summary>
public sealed class SurveyResponse : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid SurveyId { get; set; }
    public Guid? InvitationId { get; set; }
    public Guid? ContactId { get; set; }

    /// <summary>0..10, checked by the database as well.</summary>
    public short Score { get; set; }

    public string? Comment { get; set; }
    public required string Language { get; set; }
    public required string Channel { get; set; }
    public ResponseStatus Status { get; set; }

    /// <summary>True when a provisional score became final without a submit.</summary>
    public bool ImplicitlyConfirmed { get; set; }

    /// <summary>The client's id for an anonymous submission, so retries never duplicate.</summary>
    public string? SubmissionId { get; set; }

    /// <summary>Answers to the additional questions, JSON: question id → text, number or list of option ids.</summary>
    public string? Answers { get; set; }

    /// <summary>A snapshot of contact and invitation properties when answered, JSON object of strings.</summary>
    public string? Properties { get; set; }

    public string? TeamMember { get; set; }
    public string? Touchpoint { get; set; }

    /// <summary>/24 or /48 network of the respondent; never the full address.</summary>
    public string? NetworkPrefix { get; set; }

    public DateTime RespondedAt { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public int Revision { get; set; } = 1;

    public NpsCategory Category => NpsCategories.Of(Score);
}

internal sealed class SurveyResponseConfiguration : IEntityTypeConfiguration<SurveyResponse>
{
    public void Configure(EntityTypeBuilder<SurveyResponse> b)
    {
        b.ToTable("responses", t => t.HasCheckConstraint("ck_responses_score", "score BETWEEN 0 AND 10"));
        b.Property(r => r.Language).HasMaxLength(16);
        b.Property(r => r.Channel).HasMaxLength(32);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Comment).HasMaxLength(20_000);
        b.Property(r => r.SubmissionId).HasMaxLength(64);
        b.Property(r => r.TeamMember).HasMaxLength(256);
        b.Property(r => r.Touchpoint).HasMaxLength(256);
        b.Property(r => r.NetworkPrefix).HasMaxLength(64);
        // Partial indexes: imported and API rows carry neither id, and skipping them keeps bulk inserts fast.
        b.HasIndex(r => new { r.SurveyId, r.SubmissionId }).IsUnique().HasFilter("submission_id IS NOT NULL");
        b.HasIndex(r => r.InvitationId).IsUnique().HasFilter("invitation_id IS NOT NULL");
        b.HasIndex(r => new { r.ContactId, r.RespondedAt }).HasFilter("contact_id IS NOT NULL");
        // A survey's responses in id order (keyset paging). Not by responded_at: imported history arrives in random time
        // order, and a random-order index costs a third of import throughput; time-window metrics read count tables.
        b.HasIndex(r => new { r.WorkspaceId, r.SurveyId });
        b.HasIndex(r => new { r.WorkspaceId, r.UpdatedAt });
        // The dashboard's latest comments: a range read backwards in time, only over rows that have a comment.
        b.HasIndex(r => new { r.WorkspaceId, r.SurveyId, r.RespondedAt }, "ix_responses_comments").HasFilter("comment IS NOT NULL");
        b.HasOne<Surveys.Survey>().WithMany().HasForeignKey(r => r.SurveyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(r => r.Category);
    }
}
