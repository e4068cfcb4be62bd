using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Promoter.Platform;

namespace Promoter.Collect;

/// <summary>The body of <c>POST /api/v1/responses</c>. The score stays raw JSON so "7", 7.0 and null can be refused by name.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ResponseInput
{
    public Guid? SurveyId { get; init; }
    public JsonElement Score { get; init; }
    public string? Comment { get; init; }
    public string? Language { get; init; }
    public string? RespondedAt { get; init; }
    public ContactInput? Contact { get; init; }
    public Dictionary<string, string?>? Properties { get; init; }
    public string? TeamMember { get; init; }
    public string? Touchpoint { get; init; }
    public string? Channel { get; init; }
}

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ContactInput(string? Email, string? Name, string? Locale);

public static partial class ResponseFields
{
    /// <summary>A time with an explicit offset ("Z" or "+02:00"), not in the future, not before 2000.</summary>
    public static DateTime? Time(string? text, string field, DateTime now, FieldErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        string[] formats = ["yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK"];
        if (!DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            || !(text.EndsWith('Z') || OffsetPattern().IsMatch(text)))
        {
            errors.Add(field, "Use an ISO-8601 time with an offset, e.g. 2026-03-01T14:05:00Z.");
            return null;
        }

        var utc = parsed.UtcDateTime;
        if (utc > now.AddMinutes(5) || utc.Year < 2000)
        {
            errors.Add(field, "The time must be after 2000 and not in the future.");
            return null;
        }

        return utc;
    }

    /// <summary>A BCP 47-style language tag such as "en", "sv" or "pt-BR".</summary>
    public static bool IsLanguageTag(string? tag) => tag is not null && LanguagePattern().IsMatch(tag);

    [GeneratedRegex("[+-][0-9]{2}:[0-9]{2}$")]
    private static partial Regex OffsetPattern();

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$")]
    private static partial Regex LanguagePattern();
}
