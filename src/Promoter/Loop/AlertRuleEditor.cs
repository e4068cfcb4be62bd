using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter.Loop;

/// <summary>An alert rule as sent to the API; on PATCH, absent fields stay as they are and "" clears a text field.</summary>
public sealed record AlertRuleInput(
    string? Name = null,
    bool? Enabled = null,
    IReadOnlyList<string>? Categories = null,
    int? MinScore = null,
    int? MaxScore = null,
    IReadOnlyList<string>? Keywords = null,
    Guid? SurveyId = null,
    string? PropertyKey = null,
    string? PropertyValue = null,
    string? TeamMember = null,
    Guid? ThemeId = null,
    bool? EmailCaseOwner = null,
    IReadOnlyList<Guid>? EmailUserIds = null,
    IReadOnlyList<string>? EmailAddresses = null,
    string? WebhookUrl = null,
    string? WebhookFormat = null,
    string? Digest = null,
    int? RiskAbove = null);

public sealed record AlertRuleDto(
    Guid Id, string Name, bool Enabled, IReadOnlyList<string> Categories, int? MinScore, int? MaxScore, IReadOnlyList<string> Keywords, Guid? SurveyId,
    string? PropertyKey, string? PropertyValue, string? TeamMember, Guid? ThemeId, bool EmailCaseOwner, IReadOnlyList<Guid> EmailUserIds, IReadOnlyList<string> EmailAddresses,
    string? WebhookUrl, string WebhookFormat, string Digest, DateTime CreatedAt, int? RiskAbove)
{
    public static AlertRuleDto From(AlertRule r) => new(r.Id, r.Name, r.Enabled, r.CategoryList, r.MinScore, r.MaxScore, r.KeywordList, r.SurveyId,
        r.PropertyKey, r.PropertyValue, r.TeamMember, r.ThemeId, r.EmailCaseOwner, LoopSettings.Ids(r.EmailUserIds),
        r.EmailAddresses.Split(',', StringSplitOptions.RemoveEmptyEntries), r.WebhookUrl, r.WebhookFormat.ToString().ToLowerInvariant(),
        r.Digest.ToString().ToLowerInvariant(), r.CreatedAt, r.RiskAbove);
}

/// <summary>Creates and changes alert rules, refusing with field errors whatever would misfire later (bad addresses, private URLs, unknown users).</summary>
public sealed class AlertRuleEditor(PromoterDb db, WebhookUrls webhookUrls, TimeProvider clock)
{
    public const int MaxRules = 100;
    public const int MaxRecipients = 50;

    public async Task<IReadOnlyList<AlertRuleDto>> ListAsync(CancellationToken ct) =>
        (await db.AlertRules.AsNoTracking().OrderBy(r => r.CreatedAt).ToListAsync(ct)).Select(AlertRuleDto.From).ToList();

    public async Task<AlertRuleDto> CreateAsync(AlertRuleInput input, CancellationToken ct)
    {
        if (await db.AlertRules.CountAsync(ct) >= MaxRules)
        {
            throw new UnprocessableException("too_many_rules", $"A workspace can have at most {MaxRules} alert rules.");
        }

        var rule = new AlertRule { Id = Guid.CreateVersion7(), Name = "", CreatedAt = clock.GetUtcNow().UtcDateTime };
        await ApplyAsync(rule, input with { Name = input.Name ?? "" }, ct);
        db.AlertRules.Add(rule);
        await db.SaveChangesAsync(ct);
        return AlertRuleDto.From(rule);
    }

    public async Task<AlertRuleDto> UpdateAsync(Guid id, AlertRuleInput input, CancellationToken ct)
    {
        var rule = await db.AlertRules.SingleOrDefaultAsync(r => r.Id == id, ct) ?? throw new NotFoundException("alert rule");
        await ApplyAsync(rule, input, ct);
        await db.SaveChangesAsync(ct);
        return AlertRuleDto.From(rule);
    }

    public async Task DeleteAsync(Guid id, CancellationToken ct)
    {
        if (await db.AlertRules.Where(r => r.Id == id).ExecuteDeleteAsync(ct) == 0)
        {
            throw new NotFoundException("alert rule");
        }
    }

    private async Task ApplyAsync(AlertRule rule, AlertRuleInput input, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (input.Name is not null)
        {
            rule.Name = TextInput.Line(input.Name, "name", 200, errors) ?? "";
            if (rule.Name.Length == 0 && !errors.Any)
            {
                errors.Add("name", "Name the rule.");
            }
        }

        rule.Enabled = input.Enabled ?? rule.Enabled;
        if (input.Categories is not null)
        {
            var known = new[] { "detractor", "passive", "promoter" };
            var wanted = input.Categories.Select(c => c?.Trim().ToLowerInvariant() ?? "").Distinct().ToList();
            if (wanted.Any(c => !known.Contains(c)))
            {
                errors.Add("categories", "Use detractor, passive and/or promoter.");
            }

            rule.Categories = string.Join(',', wanted.Where(known.Contains));
        }

        if (input.MinScore is { } min)
        {
            rule.MinScore = min is >= 0 and <= 10 ? (short)min : null;
            if (min is < 0 or > 10)
            {
                errors.Add("minScore", "Use 0 to 10.");
            }
        }

        if (input.MaxScore is { } max)
        {
            rule.MaxScore = max is >= 0 and <= 10 ? (short)max : null;
            if (max is < 0 or > 10)
            {
                errors.Add("maxScore", "Use 0 to 10.");
            }
        }

        if (rule.MinScore > rule.MaxScore)
        {
            errors.Add("minScore", "The lowest score cannot be above the highest.");
        }

        if (input.Keywords is not null)
        {
            var words = new List<string>();
            foreach (var raw in input.Keywords)
            {
                if (TextInput.Line(raw, "keywords", 100, errors) is { } word)
                {
                    if (word.Contains(',', StringComparison.Ordinal))
                    {
                        errors.Add("keywords", "A keyword cannot contain a comma.");
                    }
                    else
                    {
                        words.Add(word);
                    }
                }
            }

            rule.Keywords = string.Join(',', words);
            if (rule.Keywords.Length > 2000)
            {
                errors.Add("keywords", "Use fewer keywords (2000 characters in all).");
            }
        }

        if (input.SurveyId is { } surveyId)
        {
            rule.SurveyId = surveyId == Guid.Empty ? null : surveyId;
            if (rule.SurveyId is not null && !await db.Surveys.AnyAsync(s => s.Id == surveyId, ct))
            {
                errors.Add("surveyId", "No such survey in this workspace.");
            }
        }

        if (input.PropertyKey is not null)
        {
            rule.PropertyKey = input.PropertyKey.Length == 0 ? null : input.PropertyKey;
            if (rule.PropertyKey is not null && !TextInput.IsPropertyKey(rule.PropertyKey))
            {
                errors.Add("propertyKey", "Property names use letters, digits, '_', '.' or '-' (1 to 64 characters).");
            }
        }

        if (input.PropertyValue is not null)
        {
            rule.PropertyValue = TextInput.Line(input.PropertyValue, "propertyValue", TextInput.MaxPropertyValueCharacters, errors);
        }

        if (input.TeamMember is not null)
        {
            rule.TeamMember = TextInput.Line(input.TeamMember, "teamMember", 256, errors);
        }

        if (input.ThemeId is { } themeId)
        {
            rule.ThemeId = themeId == Guid.Empty ? null : themeId;
            if (rule.ThemeId is not null && !await db.Themes.AnyAsync(t => t.Id == themeId, ct))
            {
                errors.Add("themeId", "No such theme in this workspace.");
            }
        }

        if (input.RiskAbove is { } riskAbove)
        {
            // 0 clears the condition, like an empty id clears the survey or theme.
            if (riskAbove is < 0 or > 99)
            {
                errors.Add("riskAbove", "A churn risk from 1 to 99 (0 removes the condition).");
            }
            else
            {
                rule.RiskAbove = riskAbove == 0 ? null : (short)riskAbove;
            }
        }

        rule.EmailCaseOwner = input.EmailCaseOwner ?? rule.EmailCaseOwner;
        if (input.EmailUserIds is not null)
        {
            var members = await LoopMembers.ListAsync(db, ct);
            if (input.EmailUserIds.Count > MaxRecipients || input.EmailUserIds.Any(id => members.All(m => m.UserId != id)))
            {
                errors.Add("emailUserIds", $"Choose up to {MaxRecipients} members of this workspace.");
            }

            rule.EmailUserIds = string.Join(',', input.EmailUserIds.Distinct());
        }

        if (input.EmailAddresses is not null)
        {
            var addresses = new List<string>();
            foreach (var raw in input.EmailAddresses)
            {
                // Line breaks would smuggle headers; a comma would smuggle a second recipient into the list.
                if (raw is null || !EmailHeaders.IsSafe(raw) || raw.Contains(',', StringComparison.Ordinal) || !Platform.EmailAddresses.TryNormalize(raw, out var address))
                {
                    errors.Add("emailAddresses", "Enter email addresses, one per entry, without line breaks.");
                    continue;
                }

                addresses.Add(address);
            }

            if (addresses.Count > MaxRecipients)
            {
                errors.Add("emailAddresses", $"Use at most {MaxRecipients} addresses.");
            }

            rule.EmailAddresses = string.Join(',', addresses.Distinct(StringComparer.OrdinalIgnoreCase));
        }

        if (input.WebhookUrl is not null)
        {
            rule.WebhookUrl = input.WebhookUrl.Length == 0 ? null : await webhookUrls.CheckAsync(input.WebhookUrl, "webhookUrl", errors, ct);
        }

        if (input.WebhookFormat is not null)
        {
            if (Enum.TryParse<AlertWebhookFormat>(input.WebhookFormat, ignoreCase: true, out var format) && Enum.IsDefined(format))
            {
                rule.WebhookFormat = format;
            }
            else
            {
                errors.Add("webhookFormat", "Use json or slack.");
            }
        }

        if (input.Digest is not null)
        {
            if (Enum.TryParse<AlertDigest>(input.Digest, ignoreCase: true, out var digest) && Enum.IsDefined(digest))
            {
                rule.Digest = digest;
            }
            else
            {
                errors.Add("digest", "Use none, hourly or daily.");
            }
        }

        errors.ThrowIfAny();
    }
}
