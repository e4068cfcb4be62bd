using System.Text.RegularExpressions;

namespace Promoter.Collect.Respondent;

/// <summary>
/// A coarse class of the User-Agent for link-hit reports ("browser", "automated", "other", "none"). Reporting data
/// only: scanners drive real browsers, so the class never decides anything on its own.
/// </summary>
public static partial class UserAgentClasses
{
    public static string Of(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent))
        {
            return "none";
        }

        if (AutomatedPattern().IsMatch(userAgent))
        {
            return "automated";
        }

        return userAgent.StartsWith("Mozilla/", StringComparison.Ordinal) ? "browser" : "other";
    }

    [GeneratedRegex(@"bot|crawl|spider|slurp|preview|scan|headless|phantom|python|curl|wget|httpclient|okhttp|java/|go-http|libwww|axios|node-fetch|safelinks",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex AutomatedPattern();
}
