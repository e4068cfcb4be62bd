using System.Globalization;

namespace Promoter.Integrations.Delighted.Import;

/// <summary>
/// Response times as they appear in Delighted exports and the scripts around them: ISO-8601 with an offset or Z,
/// "2024-04-18 05:34:20 -0700" / "+07:00" / "UTC", or Unix seconds (the API's form). A time without an offset is read in
/// the zone the operator names (default UTC), because a spreadsheet that rewrote the file may have dropped it.
/// </summary>
internal sealed class DelightedTimes(TimeZoneInfo zone, DateTime now)
{
    private static readonly string[] s_withOffset =
    [
        "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd HH:mm:ss zzz", "yyyy-MM-dd HH:mm:ss.FFFFFFF zzz", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm zzz",
    ];

    private static readonly string[] s_local =
    [
        "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-dd HH:mm",
    ];

    /// <summary>The UTC time, or null with <paramref name="problem"/> set.</summary>
    public DateTime? Parse(string text, out string? problem)
    {
        problem = null;
        var s = text.Trim();
        DateTime utc;
        if (s.Length is >= 9 and <= 11 && s.All(char.IsAsciiDigit))
        {
            utc = DateTimeOffset.FromUnixTimeSeconds(long.Parse(s, CultureInfo.InvariantCulture)).UtcDateTime;
        }
        else if (TryOffset(s, out var withOffset))
        {
            utc = withOffset.UtcDateTime;
        }
        else if (DateTime.TryParseExact(s, s_local, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            if (zone.IsInvalidTime(local))
            {
                problem = $"That local time does not exist in {zone.Id} (the clocks skipped it).";
                return null;
            }

            utc = TimeZoneInfo.ConvertTimeToUtc(local, zone);
        }
        else
        {
            problem = "Not a time: use ISO-8601 (2024-04-18T05:34:20Z), Delighted's \"2024-04-18 05:34:20 -0700\" or Unix seconds.";
            return null;
        }

        if (utc > now.AddMinutes(5) || utc.Year < 2000)
        {
            problem = "The time must be after 2000 and not in the future.";
            return null;
        }

        return DateTime.SpecifyKind(utc, DateTimeKind.Utc);
    }

    private static bool TryOffset(string s, out DateTimeOffset parsed)
    {
        // "UTC" and "-0700" are how Ruby prints zones; .NET's zzz wants "-07:00".
        if (s.EndsWith(" UTC", StringComparison.Ordinal))
        {
            s = s[..^4] + " +00:00";
        }
        else if (s.Length > 5 && (s[^5] is '+' or '-') && s[^6] == ' ' && s[^4..].All(char.IsAsciiDigit))
        {
            s = s[..^2] + ":" + s[^2..];
        }

        return DateTimeOffset.TryParseExact(s, s_withOffset, CultureInfo.InvariantCulture, DateTimeStyles.None, out parsed)
               && (s.EndsWith('Z') || s[^6] is '+' or '-');
    }
}
