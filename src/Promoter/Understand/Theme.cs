using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Understand;

/// <summary>
/// A named topic of comments ("Delivery", "Price"), defined by words and phrases per language. A response has the theme
/// when its comment contains one of the theme's terms in the response's language (compared after the same
/// normalisation and stemming as the Why section's terms).
/// </summary>
public sealed class Theme : IWorkspaceOwned
{
    public const int MaxPerWorkspace = 200;
    public const int MaxTerms = 1_000;
    public const int MaxNameLength = 80;

    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }
    public List<ThemeTerm> Terms { get; set; } = [];
}

/// <summary>One word or phrase of a theme: as the user typed it, and its normalised key.</summary>
public sealed class ThemeTerm
{
    public Guid ThemeId { get; set; }
    public required string Language { get; set; }
    public required string Key { get; set; }
    public required string Phrase { get; set; }
}

/// <summary>A response that has a theme (derived from its terms; rewritten by the indexer and the re-tagging job).</summary>
public sealed class ResponseTheme
{
    public long ResponseId { get; set; }
    public Guid ThemeId { get; set; }
}

/// <summary>
/// Re-tagging a workspace's past responses after its themes changed: a background job with progress. A node holds it
/// by a lease; each chunk of responses commits with the job's cursor, so a crash redoes at most one chunk and a second
/// node never runs it at the same time.
/// </summary>
public sealed class ThemeJob : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public ThemeJobStatus Status { get; set; }
    public long Total { get; set; }
    public long Done { get; set; }
    public long Cursor { get; set; }
    public int Chunks { get; set; }
    public string? LeaseOwner { get; set; }
    public DateTime? LeaseUntil { get; set; }
    public DateTime CreatedAt { get; set; }
    public DateTime? FinishedAt { get; set; }
}

public enum ThemeJobStatus
{
    Pending,
    Running,
    Done,
    Superseded,
}

internal sealed class ThemeConfiguration : IEntityTypeConfiguration<Theme>
{
    public void Configure(EntityTypeBuilder<Theme> b)
    {
        b.ToTable("themes");
        b.Property(t => t.Name).HasMaxLength(Theme.MaxNameLength);
        b.HasIndex(t => new { t.WorkspaceId, t.Name }).IsUnique();
        b.HasMany(t => t.Terms).WithOne().HasForeignKey(t => t.ThemeId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(t => t.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ThemeTermConfiguration : IEntityTypeConfiguration<ThemeTerm>
{
    public void Configure(EntityTypeBuilder<ThemeTerm> b)
    {
        b.ToTable("theme_terms");
        b.HasKey(t => new { t.ThemeId, t.Language, t.Key });
        b.Property(t => t.Language).HasMaxLength(8);
        b.Property(t => t.Key).HasMaxLength(300);
        b.Property(t => t.Phrase).HasMaxLength(200);
    }
}

internal sealed class ResponseThemeConfiguration : IEntityTypeConfiguration<ResponseTheme>
{
    public void Configure(EntityTypeBuilder<ResponseTheme> b)
    {
        b.ToTable("response_themes");
        b.HasKey(t => new { t.ResponseId, t.ThemeId });
        b.HasIndex(t => new { t.ThemeId, t.ResponseId });
        b.HasOne<IndexedResponse>().WithMany().HasForeignKey(t => t.ResponseId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Theme>().WithMany().HasForeignKey(t => t.ThemeId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ThemeJobConfiguration : IEntityTypeConfiguration<ThemeJob>
{
    public void Configure(EntityTypeBuilder<ThemeJob> b)
    {
        b.ToTable("theme_jobs");
        b.Property(j => j.Status).HasConversion<string>().HasMaxLength(16);
        b.Property(j => j.LeaseOwner).HasMaxLength(64);
        b.HasIndex(j => new { j.Status, j.CreatedAt });
        b.HasIndex(j => j.WorkspaceId);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(j => j.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
    }
}
