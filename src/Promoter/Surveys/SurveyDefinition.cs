using System.Text.Json;
using System.Text.Json.Serialization;
using Promoter.Core;

namespace Promoter.Surveys;

/// <summary>The parts of a survey that are shaped per language or per category. Stored as JSON on the survey row.</summary>
public sealed record SurveyDefinition
{
    /// <summary>Custom wording per language code; anything left null uses the language's standard text.</summary>
    public Dictionary<string, SurveyTexts> Texts { get; init; } = [];

    public List<AdditionalQuestion> Questions { get; init; } = [];

    /// <summary>Where the thank-you page sends each category next (e.g. promoters to a review site).</summary>
    public Dictionary<NpsCategory, string> ThankYouLinks { get; init; } = [];

    /// <summary>Accent colour as #rrggbb.</summary>
    public string? PrimaryColor { get; init; }

    /// <summary>An https URL of the logo shown above the question.</summary>
    public string? LogoUrl { get; init; }

    /// <summary>Origins (scheme://host[:port]) allowed to embed the survey with the widget.</summary>
    public List<string> AllowedOrigins { get; init; } = [];
}

public sealed record SurveyTexts
{
    public string? WhyDetractor { get; init; }
    public string? WhyPassive { get; init; }
    public string? WhyPromoter { get; init; }
    public string? ThanksDetractor { get; init; }
    public string? ThanksPassive { get; init; }
    public string? ThanksPromoter { get; init; }
    public string? ThankYouLinkText { get; init; }
}

public enum QuestionType
{
    Text,
    Scale,
    SingleChoice,
    MultipleChoice,
}

/// <summary>An optional question after the "why?", shown to the categories listed in <see cref="ShowTo"/>.</summary>
public sealed record AdditionalQuestion
{
    /// <summary>Stable id used as the answer key; letters, digits, '-' and '_'.</summary>
    public required string Id { get; init; }

    public QuestionType Type { get; init; }

    /// <summary>The question per language code.</summary>
    public Dictionary<string, string> Label { get; init; } = [];

    public List<QuestionOption> Options { get; init; } = [];
    public int ScaleMin { get; init; } = 1;
    public int ScaleMax { get; init; } = 5;

    /// <summary>Categories that see the question; empty means everyone.</summary>
    public List<NpsCategory> ShowTo { get; init; } = [];

    public bool Required { get; init; }

    public bool IsShownTo(NpsCategory category) => ShowTo.Count == 0 || ShowTo.Contains(category);
}

public sealed record QuestionOption
{
    public required string Id { get; init; }
    public Dictionary<string, string> Label { get; init; } = [];
}

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UseStringEnumConverter = true, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SurveyDefinition))]
internal sealed partial class SurveyJson : JsonSerializerContext;
