using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Data;

namespace Promoter.Surveys;

public enum SurveyKind
{
    /// <summary>Overall loyalty, asked periodically.</summary>
    Relationship,

    /// <summary>Asked after a touchpoint: a purchase, a delivery, a closed ticket.</summary>
    Transactional,
}

/// <summary>How a score from a one-click email link becomes a response (see docs on scanner-safe links).</summary>
public enum ScoreCapture
{
    /// <summary>After a real interaction or a short dwell on the page, with scanner guards; the default.</summary>
    Implicit,

    /// <summary>Only when the respondent presses Submit. For recipients behind link-clicking mail scanners.</summary>
    Explicit,
}

/// <summary>An NPS survey: the question about a brand, the follow-ups, the languages and the sending rules.</summary>
public sealed class Survey : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }

    /// <summary>The brand or product in the question "How likely are you to recommend {brand}…".</summary>
    public required string BrandName { get; set; }

    public SurveyKind Kind { get; set; } = SurveyKind.Relationship;
    public bool IsClosed { get; set; }
    public string DefaultLanguage { get; set; } = "en";

    /// <summary>Language codes offered to respondents, comma-separated.</summary>
    public string Languages { get; set; } = "en";

    /// <summary>Texts, extra questions, thank-you links, theme and embedding origins, as JSON (<see cref="SurveyDefinition"/>).</summary>
    public string Definition { get; set; } = "{}";

    /// <summary>Overrides the workspace's throttle window for this survey.</summary>
    public int? ThrottleDays { get; set; }

    /// <summary>Days after which non-responders get one reminder; null turns reminders off.</summary>
    public int? ReminderDays { get; set; } = 3;

    /// <summary>How long a respondent may change an answer.</summary>
    public int EditWindowDays { get; set; } = 7;

    public ScoreCapture ScoreCapture { get; set; } = ScoreCapture.Implicit;

    /// <summary>Anonymous surveys keep no network prefix and no link to a contact.</summary>
    public bool Anonymous { get; set; }

    /// <summary>The NPS the team aims for (points), shown with the gap on the dashboard.</summary>
    public double? TargetNps { get; set; }

    /// <summary>The benchmark this survey is judged against: a built-in id or a custom benchmark's Guid.</summary>
    public string? BenchmarkId { get; set; }

    public DateTime CreatedAt { get; set; }
    public DateTime UpdatedAt { get; set; }

    public IReadOnlyList<string> LanguageList => Languages.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public SurveyDefinition ReadDefinition()
    {
        var definition = JsonSerializer.Deserialize(Definition, SurveyJson.Default.SurveyDefinition) ?? new SurveyDefinition();
        // The source generator sets init-only lists it does not find in the JSON to null, whatever their initialisers say;
        // rows written outside the editor (seeders, imports, "{}") would otherwise break every page that reads them.
        return definition with
        {
            Texts = definition.Texts ?? [],
            Questions = definition.Questions ?? [],
            ThankYouLinks = definition.ThankYouLinks ?? [],
            AllowedOrigins = definition.AllowedOrigins ?? [],
        };
    }

    public void WriteDefinition(SurveyDefinition definition) => Definition = JsonSerializer.Serialize(definition, SurveyJson.Default.SurveyDefinition);
}

internal sealed class SurveyConfiguration : IEntityTypeConfiguration<Survey>
{
    public void Configure(EntityTypeBuilder<Survey> b)
    {
        b.Property(s => s.Name).HasMaxLength(200);
        b.Property(s => s.BrandName).HasMaxLength(200);
        b.Property(s => s.Kind).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.ScoreCapture).HasConversion<string>().HasMaxLength(16);
        b.Property(s => s.DefaultLanguage).HasMaxLength(16);
        b.Property(s => s.Languages).HasMaxLength(200);
        b.Property(s => s.BenchmarkId).HasMaxLength(64);
        b.HasIndex(s => new { s.WorkspaceId, s.Name });
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(s => s.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(s => s.LanguageList);
    }
}
