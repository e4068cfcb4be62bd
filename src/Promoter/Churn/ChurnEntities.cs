using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Churn;

/// <summary>
/// "This customer left": from the API, a CSV import or a Delighted person's <c>churned_at</c>. Names a contact, or an
/// account (every contact whose account property has that value counts as churned). Idempotent by
/// <see cref="DedupeKey"/>: the caller's external key when given, else the contact (or account) and the time.
/// </summary>
public sealed class ChurnEvent : IWorkspaceOwned
{
    public const int MaxReasonLength = 500;
    public const int MaxAccountLength = 256;
    public const int MaxExternalKeyLength = 200;

    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid? ContactId { get; set; }
    public string? Account { get; set; }
    public DateTime OccurredAt { get; set; }
    public string? Reason { get; set; }
    public double? Revenue { get; set; }
    public string? ExternalKey { get; set; }
    public required string DedupeKey { get; set; }

    /// <summary>"api", "csv" or "delighted".</summary>
    public required string Source { get; set; }

    public DateTime CreatedAt { get; set; }
}

/// <summary>A contact's current churn risk, as the last rescoring left it. One row per scored contact.</summary>
public sealed class ContactRisk : IWorkspaceOwned
{
    public Guid ContactId { get; set; }
    public Guid WorkspaceId { get; set; }

    /// <summary>0–100.</summary>
    public int Score { get; set; }

    /// <summary>The reasons as a JSON array of {code, points, text, …} .</summary>
    public string Reasons { get; set; } = "[]";

    /// <summary>Wire name of the top recommended action, or null when nothing adds risk.</summary>
    public string? Action { get; set; }

    /// <summary>"rules" or "fitted".</summary>
    public string ModelKind { get; set; } = "rules";

    /// <summary>"detractor", "passive", "promoter" or "non_respondent" at scoring time (for filters and the model card).</summary>
    public string Category { get; set; } = "non_respondent";

    /// <summary>The contact's account property value, copied at scoring time for the account filter.</summary>
    public string? Account { get; set; }

    /// <summary>Owner of the contact's latest case, copied at scoring time for the owner filter and agents' visibility.</summary>
    public Guid? OwnerUserId { get; set; }

    /// <summary>Whether the contact has a case that is unassigned (agents may see those contacts too).</summary>
    public bool HasUnassignedCase { get; set; }

    public DateTime ComputedAt { get; set; }

    /// <summary>When the score last changed (the history has one row per change).</summary>
    public DateTime ChangedAt { get; set; }
}

/// <summary>One change of a contact's risk score.</summary>
public sealed class ContactRiskHistory : IWorkspaceOwned
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid ContactId { get; set; }
    public int Score { get; set; }
    public string? Action { get; set; }
    public string ModelKind { get; set; } = "rules";
    public string Reasons { get; set; } = "[]";
    public DateTime At { get; set; }
}

/// <summary>
/// The nightly rescoring of one workspace for one night. The unique (workspace, night) row is what makes it run once per
/// night with several nodes: a node leases it, commits a cursor after every chunk, and another node takes it over when
/// the lease lapses (resumable).
/// </summary>
public sealed class ChurnRun : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }

    /// <summary>The UTC date of the night, at midnight.</summary>
    public DateTime Night { get; set; }

    /// <summary>The last contact id rescored (contacts go in id order).</summary>
    public Guid? Cursor { get; set; }

    public int Done { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime StartedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

/// <summary>The workspace's model card and, when fitted, the model in use (refitted nightly from churn events).</summary>
public sealed class ChurnModelRecord : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }

    /// <summary>"rules" or "fitted".</summary>
    public string Status { get; set; } = "rules";

    /// <summary>The model card as served by <c>GET /api/v1/churn/model</c> (JSON).</summary>
    public string Card { get; set; } = "{}";

    /// <summary>Intercept and coefficients when <see cref="Status"/> is fitted (JSON), else null.</summary>
    public string? Model { get; set; }

    public DateTime FittedAt { get; set; }
}

internal sealed class ChurnEventConfiguration : IEntityTypeConfiguration<ChurnEvent>
{
    public void Configure(EntityTypeBuilder<ChurnEvent> b)
    {
        b.ToTable("churn_events");
        b.Property(e => e.Account).HasMaxLength(ChurnEvent.MaxAccountLength);
        b.Property(e => e.Reason).HasMaxLength(ChurnEvent.MaxReasonLength);
        b.Property(e => e.ExternalKey).HasMaxLength(ChurnEvent.MaxExternalKeyLength);
        b.Property(e => e.DedupeKey).HasMaxLength(300);
        b.Property(e => e.Source).HasMaxLength(16);
        b.HasIndex(e => new { e.WorkspaceId, e.DedupeKey }).IsUnique();
        b.HasIndex(e => new { e.WorkspaceId, e.Account });
        b.HasOne<Distribution.Contact>().WithMany().HasForeignKey(e => e.ContactId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(e => e.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContactRiskConfiguration : IEntityTypeConfiguration<ContactRisk>
{
    public void Configure(EntityTypeBuilder<ContactRisk> b)
    {
        b.ToTable("contact_risk");
        b.HasKey(r => r.ContactId);
        b.Property(r => r.Action).HasMaxLength(32);
        b.Property(r => r.ModelKind).HasMaxLength(16);
        b.Property(r => r.Category).HasMaxLength(16);
        b.Property(r => r.Account).HasMaxLength(ChurnEvent.MaxAccountLength);
        b.HasIndex(r => new { r.WorkspaceId, r.Score, r.ContactId });
        b.HasOne<Distribution.Contact>().WithOne().HasForeignKey<ContactRisk>(r => r.ContactId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ContactRiskHistoryConfiguration : IEntityTypeConfiguration<ContactRiskHistory>
{
    public void Configure(EntityTypeBuilder<ContactRiskHistory> b)
    {
        b.ToTable("contact_risk_history");
        b.Property(r => r.Action).HasMaxLength(32);
        b.Property(r => r.ModelKind).HasMaxLength(16);
        b.HasIndex(r => new { r.ContactId, r.At });
        b.HasIndex(r => r.WorkspaceId);
        b.HasOne<Distribution.Contact>().WithMany().HasForeignKey(r => r.ContactId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ChurnRunConfiguration : IEntityTypeConfiguration<ChurnRun>
{
    public void Configure(EntityTypeBuilder<ChurnRun> b)
    {
        b.ToTable("churn_runs");
        b.Property(r => r.LeaseOwner).HasMaxLength(64);
        b.HasIndex(r => new { r.WorkspaceId, r.Night }).IsUnique();
        b.HasIndex(r => new { r.FinishedAt, r.LeaseUntil });
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ChurnModelRecordConfiguration : IEntityTypeConfiguration<ChurnModelRecord>
{
    public void Configure(EntityTypeBuilder<ChurnModelRecord> b)
    {
        b.ToTable("churn_models");
        b.HasKey(m => m.WorkspaceId);
        b.Property(m => m.Status).HasMaxLength(16);
        b.HasOne<Accounts.Workspace>().WithOne().HasForeignKey<ChurnModelRecord>(m => m.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
