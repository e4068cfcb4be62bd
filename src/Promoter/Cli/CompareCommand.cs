using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Promoter.Core;

namespace Promoter.Cli;

internal static class CompareCommand
{
    public static Command Create()
    {
        var a = new Option<string?>("--a") { Description = "Group or period A as detractors,passives,promoters." };
        var b = new Option<string?>("--b") { Description = "Group or period B as detractors,passives,promoters." };
        var paired = new Option<string?>("--paired-table")
        {
            Description = "The same people surveyed twice: 9 counts, rows = category at A, columns = category at B, " +
                          "each in the order detractor,passive,promoter (row-major). --a/--b are then optional and must match its margins.",
        };
        var level = StatisticsOptions.Level();
        var adjusted = new Option<bool>("--adjusted") { Description = "Independent groups only: add the adjusted-Wald pseudo-counts (¾, 1½, ¾) to each group." };
        var json = new Option<bool>("--json") { Description = "Print one JSON object instead of text." };
        var command = new Command("compare", "Is NPS B different from NPS A? Prints the signed difference B − A with its standard error, z, p and CI.")
        {
            a, b, paired, level, adjusted, json,
        };
        command.SetAction(async (result, ct) =>
        {
            var confidence = StatisticsOptions.ParseLevel(result.GetRequiredValue(level));
            NpsComparison comparison;
            NpsCounts countsA, countsB;
            if (result.GetValue(paired) is { } tableText)
            {
                if (result.GetValue(adjusted))
                {
                    throw new CliException("--adjusted applies to independent groups only.", ExitCodes.Usage);
                }

                var table = ParseTable(tableText);
                countsA = table.Before;
                countsB = table.After;
                CheckMargin(result.GetValue(a), "--a", countsA);
                CheckMargin(result.GetValue(b), "--b", countsB);
                comparison = NpsComparison.ComparePaired(table, confidence);
            }
            else
            {
                countsA = StatisticsOptions.ParseCounts(result.GetValue(a) ?? throw new CliException("--a is required.", ExitCodes.Usage), "--a");
                countsB = StatisticsOptions.ParseCounts(result.GetValue(b) ?? throw new CliException("--b is required.", ExitCodes.Usage), "--b");
                comparison = NpsComparison.CompareIndependent(countsA, countsB, confidence, result.GetValue(adjusted));
            }

            var text = result.GetValue(json)
                ? ToJson(comparison, countsA, countsB, result.GetValue(paired) is not null)
                : ToText(comparison, countsA, countsB);
            await result.Out().WriteLineAsync(text);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static PairedTable ParseTable(string text)
    {
        var parts = text.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length != 9 || !parts.All(p => long.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out _)))
        {
            throw new CliException($"--paired-table takes 9 whole numbers (got '{text}').", ExitCodes.Usage);
        }

        var table = PairedTable.Create(parts.Select(p => long.Parse(p, NumberStyles.None, CultureInfo.InvariantCulture)).ToArray());
        return table.Before.N > 0 ? table : throw new CliException("--paired-table has no respondents.");
    }

    private static void CheckMargin(string? given, string option, NpsCounts margin)
    {
        if (given is not null && StatisticsOptions.ParseCounts(given, option) != margin)
        {
            throw new CliException($"{option} does not match the paired table's margin ({margin.Detractors},{margin.Passives},{margin.Promoters}).");
        }
    }

    private static string ToText(NpsComparison c, NpsCounts a, NpsCounts b)
    {
        var ci = c.Interval;
        return string.Join(Environment.NewLine,
            $"NPS A            {StatisticsOptions.Points(a.Nps)}  (n = {a.N})",
            $"NPS B            {StatisticsOptions.Points(b.Nps)}  (n = {b.N})",
            $"Difference B−A   {StatisticsOptions.Points(c.Difference)}",
            $"Standard error   {StatisticsOptions.Points(c.StandardError)}",
            $"z                {c.Z.ToString("0.0000", CultureInfo.InvariantCulture)}",
            $"p (two-sided)    {c.P.ToString("0.000000", CultureInfo.InvariantCulture)}",
            $"{StatisticsOptions.Percent(ci.Level)}% CI           {StatisticsOptions.Points(ci.Low)} to {StatisticsOptions.Points(ci.High)}",
            c.Significant ? "The difference is significant at this level." : "The difference is not significant at this level.");
    }

    private static string ToJson(NpsComparison c, NpsCounts a, NpsCounts b, bool paired) => JsonSerializer.Serialize(new
    {
        difference = c.Difference,
        standardError = c.StandardError,
        z = double.IsFinite(c.Z) ? c.Z : (double?)null,
        p = c.P,
        significant = c.Significant,
        paired,
        ci = new { method = ConfidenceMethods.ToWireName(c.Interval.Method), level = c.Interval.Level * 100, low = c.Interval.Low, high = c.Interval.High },
        a = new { n = a.N, nps = a.Nps },
        b = new { n = b.N, nps = b.Nps },
    });
}
