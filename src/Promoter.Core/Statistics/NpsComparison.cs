namespace Promoter.Core;

/// <summary>
/// A z-test of the change in NPS from A to B. All amounts are in points; <see cref="Difference"/> keeps its sign
/// (positive = B is higher) and the interval is clipped only to [−200, 200].
/// </summary>
/// <param name="Difference">NPS(B) − NPS(A), in points.</param>
/// <param name="StandardError">Standard error of the difference, in points.</param>
/// <param name="Z">Difference / StandardError; 0 when both are 0, ±∞ when only the standard error is 0.</param>
/// <param name="P">Two-sided p-value.</param>
/// <param name="Interval">Confidence interval for the difference, in points.</param>
/// <param name="Significant">P &lt; 1 − level.</param>
public sealed record NpsComparison(double Difference, double StandardError, double Z, double P, ConfidenceInterval Interval, bool Significant)
{
    /// <summary>
    /// Two independent samples (different respondents, e.g. two segments or periods):
    /// SE = sqrt(V_A/n_A + V_B/n_B). With <paramref name="adjusted"/>, 0.75 / 1.5 / 0.75 pseudo-responses are added to
    /// each group first and the difference is that of the adjusted NPS values.
    /// </summary>
    /// <exception cref="InvalidOperationException">A group has no responses.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The level is not in [0.5, 1).</exception>
    public static NpsComparison CompareIndependent(NpsCounts a, NpsCounts b, double level = 0.95, bool adjusted = false)
    {
        var z = ConfidenceLevel.CriticalValue(level, nameof(level));
        if (a.N == 0 || b.N == 0)
        {
            throw new InvalidOperationException("Both groups need at least one response to compare NPS.");
        }

        var groupA = adjusted ? Trinomial.Adjusted(a) : Trinomial.Raw(a);
        var groupB = adjusted ? Trinomial.Adjusted(b) : Trinomial.Raw(b);
        var variance = (groupA.Variance / groupA.N) + (groupB.Variance / groupB.N);
        var method = adjusted ? ConfidenceMethod.AdjustedWald : ConfidenceMethod.Wald;
        return Build(groupB.Nps - groupA.Nps, variance, z, level, method);
    }

    /// <summary>
    /// The same respondents at A and B. Each person's change D = s_B − s_A ∈ {−2..2} (s = −1/0/+1);
    /// difference = mean(D), SE = sd(D)/√n with the population (/n) sd, matching the plug-in variance used elsewhere.
    /// </summary>
    /// <exception cref="InvalidOperationException">The table is empty.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The level is not in [0.5, 1).</exception>
    public static NpsComparison ComparePaired(PairedTable table, double level = 0.95)
    {
        ArgumentNullException.ThrowIfNull(table);
        var z = ConfidenceLevel.CriticalValue(level, nameof(level));
        if (table.N == 0)
        {
            throw new InvalidOperationException("A paired comparison needs at least one respondent.");
        }

        Int128 sum = 0;
        Int128 sumOfSquares = 0;
        foreach (var before in Enum.GetValues<NpsCategory>())
        {
            foreach (var after in Enum.GetValues<NpsCategory>())
            {
                var change = Contribution(after) - Contribution(before);
                var count = table[before, after];
                sum += (Int128)count * change;
                sumOfSquares += (Int128)count * change * change;
            }
        }

        // Var(D) = (n·ΣD² − (ΣD)²) / n², exact in integers so a zero variance is exactly zero.
        double n = table.N;
        var varianceOfChange = (double)checked((table.N * sumOfSquares) - (sum * sum)) / (n * n);
        return Build((double)sum / n, varianceOfChange / n, z, level, ConfidenceMethod.Wald);
    }

    private static int Contribution(NpsCategory category) => category switch
    {
        NpsCategory.Detractor => -1,
        NpsCategory.Passive => 0,
        NpsCategory.Promoter => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown NPS category."),
    };

    // difference and variance on the unit scale; the result in points.
    private static NpsComparison Build(double difference, double variance, double z, double level, ConfidenceMethod method)
    {
        var standardError = Math.Sqrt(variance);
        var statistic = standardError > 0.0 ? difference / standardError
            : difference == 0.0 ? 0.0
            : difference > 0.0 ? double.PositiveInfinity : double.NegativeInfinity;
        var p = Normal.TwoSidedP(statistic);
        var half = z * standardError;
        var interval = new ConfidenceInterval(
            method,
            level,
            100.0 * Math.Max(-2.0, difference - half),
            100.0 * Math.Min(2.0, difference + half));
        return new NpsComparison(100.0 * difference, 100.0 * standardError, statistic, p, interval, p < 1.0 - level);
    }
}
