using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Promoter.Core;
using Promoter.Data;

namespace Promoter.Loop;

public enum AlertDigest
{
    /// <summary>One message per matching response, within seconds.</summary>
    None,
    Hourly,
    Daily,
}

public enum AlertWebhookFormat
{
    /// <summary>A JSON object describing the response.</summary>
    Json,

    /// <summary><c>{"text": …}</c>, which Slack, Mattermost and Teams incoming webhooks accept.</summary>
    Slack,
}

/// <summary>
/// "Tell these people when a response like this arrives": conditions on score/category, comment keywords, survey,
/// a property, the team member; actions: email the case owner, chosen users or addresses, and/or post to a URL.
/// </summary>
public sealed class AlertRule : IWorkspaceOwned
{
    public Guid Id { get; set; }
    public Guid WorkspaceId { get; set; }
    public required string Name { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>Comma-separated categories (detractor, passive, promoter); empty = any.</summary>
    public string Categories { get; set; } = "";

    public short? MinScore { get; set; }
    public short? MaxScore { get; set; }

    /// <summary>Comma-separated words or phrases, any of which in the comment matches; empty = any comment or none.</summary>
    public string Keywords { get; set; } = "";

    public Guid? SurveyId { get; set; }
    public string? PropertyKey { get; set; }
    public string? PropertyValue { get; set; }
    public string? TeamMember { get; set; }

    /// <summary>Only responses whose comment has this theme (matched like the text indexer tags them). A deleted theme matches nothing.</summary>
    public Guid? ThemeId { get; set; }

    /// <summary>Only when the response raised its contact's churn risk from at most this to above it (1–99); null = any.</summary>
    public short? RiskAbove { get; set; }

    public bool EmailCaseOwner { get; set; }
    public string EmailUserIds { get; set; } = "";
    public string EmailAddresses { get; set; } = "";
    public string? WebhookUrl { get; set; }
    public AlertWebhookFormat WebhookFormat { get; set; }
    public AlertDigest Digest { get; set; }
    public DateTime? LastDigestAt { get; set; }
    public DateTime CreatedAt { get; set; }

    public IReadOnlyList<string> CategoryList => Csv(Categories);
    public IReadOnlyList<string> KeywordList => Csv(Keywords);

    public bool Matches(short score, string? comment, Guid surveyId, string? teamMember, IReadOnlyDictionary<string, string> properties,
        IReadOnlySet<Guid> themes, int? riskBefore = null, int? riskAfter = null)
    {
        var category = NpsCategories.Of(score).ToString().ToLowerInvariant();
        return Enabled
               && (CategoryList.Count == 0 || CategoryList.Contains(category, StringComparer.OrdinalIgnoreCase))
               && (MinScore is null || score >= MinScore) && (MaxScore is null || score <= MaxScore)
               && (SurveyId is null || SurveyId == surveyId)
               && (TeamMember is null || string.Equals(TeamMember, teamMember, StringComparison.OrdinalIgnoreCase))
               && (ThemeId is null || themes.Contains(ThemeId.Value))
               && (RiskAbove is null || (riskAfter > RiskAbove && (riskBefore is null || riskBefore <= RiskAbove)))
               && (PropertyKey is null || (properties.TryGetValue(PropertyKey, out var v) && string.Equals(v, PropertyValue, StringComparison.OrdinalIgnoreCase)))
               && (KeywordList.Count == 0 || (comment is not null && KeywordList.Any(k => comment.Contains(k, StringComparison.CurrentCultureIgnoreCase))));
    }

    private static List<string> Csv(string value) => value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
}

internal sealed class AlertRuleConfiguration : IEntityTypeConfiguration<AlertRule>
{
    public void Configure(EntityTypeBuilder<AlertRule> b)
    {
        b.ToTable("alert_rules");
        b.Property(r => r.Name).HasMaxLength(200);
        b.Property(r => r.Categories).HasMaxLength(100);
        b.Property(r => r.Keywords).HasMaxLength(2000);
        b.Property(r => r.PropertyKey).HasMaxLength(64);
        b.Property(r => r.PropertyValue).HasMaxLength(256);
        b.Property(r => r.TeamMember).HasMaxLength(256);
        b.Property(r => r.EmailUserIds).HasMaxLength(4000);
        b.Property(r => r.EmailAddresses).HasMaxLength(4000);
        b.Property(r => r.WebhookUrl).HasMaxLength(2000);
        b.Property(r => r.WebhookFormat).HasConversion<string>().HasMaxLength(16);
        b.Property(r => r.Digest).HasConversion<string>().HasMaxLength(16);
        b.HasIndex(r => r.WorkspaceId);
        b.HasOne<Accounts.Workspace>().WithMany().HasForeignKey(r => r.WorkspaceId).OnDelete(DeleteBehavior.Cascade);
        b.Ignore(r => r.CategoryList);
        b.Ignore(r => r.KeywordList);
    }
}
