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
        if (!TryParseCommon(text, out var parsed)
            && (!DateTimeOffset.TryParseExact(text, formats, CultureInfo.InvariantCulture, DateTimeStyles.None, out parsed)
                || !(text.EndsWith('Z') || OffsetPattern().IsMatch(text))))
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

    // "2025-03-01T14:05:00Z" and "2025-03-01T14:05:00+02:00", the forms exports use, without the general parser
    // (an import reads a million of them); anything else goes through TryParseExact above.
    private static bool TryParseCommon(string text, out DateTimeOffset parsed)
    {
        parsed = default;
        var s = text.AsSpan();
        if (s.Length is not (20 or 25) || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        var offset = TimeSpan.Zero;
        if (s.Length == 20)
        {
            if (s[19] != 'Z')
            {
                return false;
            }
        }
        else if ((s[19] is '+' or '-') && s[22] == ':' && Digits(s, 20, 2, out var oh) && Digits(s, 23, 2, out var om) && oh <= 14 && om < 60)
        {
            offset = new TimeSpan(oh, om, 0) * (s[19] == '-' ? -1 : 1);
        }
        else
        {
            return false;
        }

        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second)
            || year < 1 || month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(year, month) || hour > 23 || minute > 59 || second > 59)
        {
            return false;
        }

        parsed = new DateTimeOffset(year, month, day, hour, minute, second, offset);
        return true;
    }

    private static bool Digits(ReadOnlySpan<char> s, int start, int count, out int value)
    {
        value = 0;
        foreach (var c in s.Slice(start, count))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        return true;
    }

    /// <summary>A BCP 47-style language tag such as "en", "sv" or "pt-BR".</summary>
    public static bool IsLanguageTag(string? tag) => tag is not null && LanguagePattern().IsMatch(tag);

    [GeneratedRegex("[+-][0-9]{2}:[0-9]{2}$")]
    private static partial Regex OffsetPattern();

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,2}$")]
    private static partial Regex LanguagePattern();
}
