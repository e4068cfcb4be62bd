using System.CommandLine;
using System.Globalization;
using Promoter.Core;

namespace Promoter.Cli;

/// <summary>The <c>--level</c> and <c>--method</c> options shared by <c>nps</c> and <c>compare</c>.</summary>
internal static class StatisticsOptions
{
    public static Option<string> Level() => new("--level")
    {
        Description = "Confidence level in percent (e.g. 90, 95, 99).",
        DefaultValueFactory = _ => "95",
    };

    public static Option<string> Method() => new("--method")
    {
        Description = "Interval method: adjusted-wald (default), wald or tango.",
        DefaultValueFactory = _ => "adjusted-wald",
    };

    public static double ParseLevel(string text)
    {
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) || !double.IsFinite(percent) || percent is < 50 or >= 100)
        {
            throw new CliException($"--level must be a percentage from 50 to below 100 (got '{text}').", ExitCodes.Usage);
        }

        return percent / 100.0;
    }

    public static ConfidenceMethod ParseMethod(string text) =>
        ConfidenceMethods.TryParse(text, out var method)
            ? method
            : throw new CliException($"--method must be adjusted-wald, wald or tango (got '{text}').", ExitCodes.Usage);

    public static NpsCounts ParseCounts(string text, string option)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length != 3 || !parts.All(p => long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new CliException($"{option} takes three whole numbers: detractors,passives,promoters (got '{text}').", ExitCodes.Usage);
        }

        var n = parts.Select(p => long.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray();
        var counts = new NpsCounts(n[0], n[1], n[2]);
        return counts.N > 0 ? counts : throw new CliException($"{option} has no responses; NPS needs at least one.", ExitCodes.Failed);
    }

    /// <summary>NPS points on the −100..100 scale with one decimal, as the dashboard shows them ("33.3"); --json keeps full precision.</summary>
    public static string Points(double value) => value.ToString("0.0", CultureInfo.InvariantCulture);

    public static string Percent(double level) => (level * 100).ToString("0.##", CultureInfo.InvariantCulture);
}
