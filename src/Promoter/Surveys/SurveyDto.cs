using System.Text.Json.Serialization;
using Promoter.Core;

namespace Promoter.Surveys;

/// <summary>A survey as the API sends and receives it (POST and PUT take the whole survey).</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record SurveyInput
{
    public string? Name { get; init; }
    public string? BrandName { get; init; }
    public SurveyKind? Kind { get; init; }
    public bool Closed { get; init; }
    public string? DefaultLanguage { get; init; }
    public List<string>? Languages { get; init; }
    public Dictionary<string, SurveyTexts>? Texts { get; init; }
    public List<AdditionalQuestion>? Questions { get; init; }
    public Dictionary<NpsCategory, string>? ThankYouLinks { get; init; }
    public string? PrimaryColor { get; init; }
    public string? LogoUrl { get; init; }
    public List<string>? AllowedOrigins { get; init; }
    public int? ThrottleDays { get; init; }
    public int? ReminderDays { get; init; } = 3;
    public int? EditWindowDays { get; init; }
    public ScoreCapture? ScoreCapture { get; init; }
    public bool Anonymous { get; init; }
}

public sealed record SurveyDto(
    Guid Id,
    string Name,
    string BrandName,
    SurveyKind Kind,
    bool Closed,
    string DefaultLanguage,
    IReadOnlyList<string> Languages,
    Dictionary<string, SurveyTexts> Texts,
    List<AdditionalQuestion> Questions,
    Dictionary<NpsCategory, string> ThankYouLinks,
    string? PrimaryColor,
    string? LogoUrl,
    List<string> AllowedOrigins,
    int? ThrottleDays,
    int? ReminderDays,
    int EditWindowDays,
    ScoreCapture ScoreCapture,
    bool Anonymous,
    string SurveyUrl,
    DateTime CreatedAt,
    DateTime UpdatedAt)
{
    public static SurveyDto From(Survey s, string publicBaseUrl)
    {
        var d = s.ReadDefinition();
        return new SurveyDto(s.Id, s.Name, s.BrandName, s.Kind, s.IsClosed, s.DefaultLanguage, s.LanguageList, d.Texts, d.Questions,
            d.ThankYouLinks, d.PrimaryColor, d.LogoUrl, d.AllowedOrigins, s.ThrottleDays, s.ReminderDays, s.EditWindowDays,
            s.ScoreCapture, s.Anonymous, $"{publicBaseUrl.TrimEnd('/')}/s/{s.Id}", s.CreatedAt, s.UpdatedAt);
    }
}
