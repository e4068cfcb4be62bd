using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Understand;

/// <summary>
/// "This response's comment, score, time or language changed (or it was deleted); count its terms again." Written by
/// database triggers in the transaction that writes the response (every write path), and by imports after their rows;
/// deleted by the text indexer in the transaction that counts. No foreign keys: a deleted response's row is
/// the tombstone that makes the indexer subtract what it had counted.
/// </summary>
public sealed class TextQueueItem
{
    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public long ResponseId { get; set; }
    public DateTime QueuedAt { get; set; }
}

/// <summary>
/// What the indexer counted for one response: its survey, pipeline language, score and time at that moment. Term and
/// theme counts are subtracted from this snapshot when the response changes, so the counts always equal a recount of
/// the snapshots, and the snapshots follow the responses within one indexer round.
/// </summary>
public sealed class IndexedResponse : IWorkspaceOwned
{
    public long ResponseId { get; set; }
    public Guid WorkspaceId { get; set; }
    public Guid SurveyId { get; set; }
    public required string Language { get; set; }
    public short Score { get; set; }
    public DateTime RespondedAt { get; set; }

    /// <summary>Characters of the comment: examples are shown shortest first.</summary>
    public int CommentLength { get; set; }
}

/// <summary>A term of a workspace's vocabulary: a normalised word or phrase (the key) in one pipeline language.</summary>
public sealed class TermEntry : IWorkspaceOwned
{
    /// <summary>Longer "words" (a row of one repeated character) are not terms anyone reads: the indexer skips them.</summary>
    public const int MaxKeyLength = 300;

    public long Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Language { get; set; }
    public required string Key { get; set; }
    public int Words { get; set; }
}

/// <summary>How often a term was written in one surface form (responses): the most frequent one is shown.</summary>
public sealed class TermForm
{
    public long TermId { get; set; }
    public required string Surface { get; set; }
    public long Count { get; set; }
}

/// <summary>One term in one response (each term once per response, however often the comment repeats it).</summary>
public sealed class ResponseTerm
{
    public long ResponseId { get; set; }
    public long TermId { get; set; }
}

/// <summary>
/// Responses per term, survey, local day (or month, <see cref="Monthly"/>) and NPS category: what the Why section reads
/// instead of tokenising comments at query time, in the shape of the score rollups (daily rows plus a monthly twin).
/// </summary>
public sealed class TermRollup : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public Guid SurveyId { get; set; }
    public bool Monthly { get; set; }
    public int Day { get; set; }
    public long TermId { get; set; }
    public required string Language { get; set; }
    public long Detractors { get; set; }
    public long Passives { get; set; }
    public long Promoters { get; set; }
}

/// <summary>
/// A version per survey and month of the text index, bumped by the indexer in every transaction that changes that month's
/// term counts or commented responses. <see cref="TermCountCache"/> keeps whole months in memory and checks these
/// versions on each request, so every node answers from its cache only while the database says the month is unchanged.
/// A month without a row has version 0.
/// </summary>
public sealed class TermMonth : IWorkspaceOwned
{
    public Guid WorkspaceId { get; set; }
    public Guid SurveyId { get; set; }

    /// <summary>The local day number of the month's first day (as <c>term_rollups.day</c> of monthly rows).</summary>
    public int Month { get; set; }

    public long Version { get; set; }
}

internal sealed class TermMonthConfiguration : IEntityTypeConfiguration<TermMonth>
{
    public void Configure(EntityTypeBuilder<TermMonth> b)
    {
        b.ToTable("term_months");
        b.HasKey(m => new { m.WorkspaceId, m.SurveyId, m.Month });
        b.HasOne<Surveys.Survey>().WithMany().HasForeignKey(m => m.SurveyId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TextQueueItemConfiguration : IEntityTypeConfiguration<TextQueueItem>
{
    public void Configure(EntityTypeBuilder<TextQueueItem> b)
    {
        b.ToTable("text_queue");
        b.HasIndex(q => new { q.WorkspaceId, q.Id });
    }
}

internal sealed class IndexedResponseConfiguration : IEntityTypeConfiguration<IndexedResponse>
{
    public void Configure(EntityTypeBuilder<IndexedResponse> b)
    {
        b.ToTable("indexed_responses");
        b.HasKey(r => r.ResponseId);
        b.Property(r => r.ResponseId).ValueGeneratedNever();
        b.Property(r => r.Language).HasMaxLength(8);
        b.HasIndex(r => new { r.WorkspaceId, r.ResponseId });
        b.HasIndex(r => new { r.WorkspaceId, r.SurveyId, r.RespondedAt });
        b.HasOne<Surveys.Survey>().WithMany().HasForeignKey(r => r.SurveyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TermEntryConfiguration : IEntityTypeConfiguration<TermEntry>
{
    public void Configure(EntityTypeBuilder<TermEntry> b)
    {
        b.ToTable("terms");
        b.Property(t => t.Language).HasMaxLength(8);
        b.Property(t => t.Key).HasMaxLength(TermEntry.MaxKeyLength);
        b.HasIndex(t => new { t.WorkspaceId, t.Language, t.Key }).IsUnique();
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TermFormConfiguration : IEntityTypeConfiguration<TermForm>
{
    public void Configure(EntityTypeBuilder<TermForm> b)
    {
        b.ToTable("term_forms");
        b.HasKey(f => new { f.TermId, f.Surface });
        b.Property(f => f.Surface).HasMaxLength(TermEntry.MaxKeyLength);
        b.HasOne<TermEntry>().WithMany().HasForeignKey(f => f.TermId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ResponseTermConfiguration : IEntityTypeConfiguration<ResponseTerm>
{
    public void Configure(EntityTypeBuilder<ResponseTerm> b)
    {
        b.ToTable("response_terms");
        b.HasKey(t => new { t.ResponseId, t.TermId });
        b.HasIndex(t => new { t.TermId, t.ResponseId });
        b.HasOne<IndexedResponse>().WithMany().HasForeignKey(t => t.ResponseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<TermEntry>().WithMany().HasForeignKey(t => t.TermId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class TermRollupConfiguration : IEntityTypeConfiguration<TermRollup>
{
    public void Configure(EntityTypeBuilder<TermRollup> b)
    {
        b.ToTable("term_rollups");
        b.HasKey(r => new { r.WorkspaceId, r.SurveyId, r.Monthly, r.Day, r.TermId });
        b.Property(r => r.Language).HasMaxLength(8);
        b.HasOne<Surveys.Survey>().WithMany().HasForeignKey(r => r.SurveyId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<TermEntry>().WithMany().HasForeignKey(r => r.TermId).OnDelete(DeleteBehavior.Cascade);
    }
}
