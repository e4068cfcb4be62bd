namespace Promoter.Metrics;

/// <summary>How an NPS compares: with the chosen benchmark (relative) and on Bain's absolute bands.</summary>
public static class Standing
{
    /// <summary>poor (≤ low), below average, good (≥ average), excellent (≥ high, the leaders).</summary>
    public static string Relative(double nps, BenchmarkDto b) =>
        b.High is { } high && nps >= high ? "excellent"
        : nps >= b.Average ? "good"
        : b.Low is { } low && nps <= low ? "poor"
        : "belowAverage";

    /// <summary>Absolute reading: above 0 good, above 20 favorable, above 50 excellent, above 80 world-class.</summary>
    public static string Absolute(double nps) => nps switch
    {
        > 80 => "worldClass",
        > 50 => "excellent",
        > 20 => "favorable",
        > 0 => "good",
        _ => "needsWork",
    };

    /// <summary>
    /// A reachable next target: below the benchmark average, close up to half the gap (at least 5 points, at most
    /// up to the average); between average and leaders, aim 5 points higher but not past the leaders; among the
    /// leaders, hold the lead (+2). Rounded to whole points and never beyond what the interval suggests is noise
    /// (at least the current margin of error above today's score when that is larger).
    /// </summary>
    public static double SuggestTarget(double current, double? marginOfError, BenchmarkDto b)
    {
        double target;
        if (current < b.Average)
        {
            target = Math.Min(b.Average, current + Math.Max(5, (b.Average - current) / 2));
        }
        else if (b.High is { } high && current < high)
        {
            target = Math.Min(high, current + 5);
        }
        else
        {
            target = current + 2;
        }

        if (marginOfError is { } moe && target - current < moe && current < b.Average)
        {
            target = Math.Min(b.Average, current + moe);
        }

        return Math.Clamp(Math.Round(target), -100, 100);
    }
}
