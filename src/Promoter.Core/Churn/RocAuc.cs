namespace Promoter.Core.Churn;

/// <summary>
/// Area under the ROC curve with a DeLong confidence interval.
/// </summary>
/// <param name="Auc">P(score of a random event &gt; score of a random non-event) + ½·P(tie).</param>
/// <param name="StandardError">DeLong standard error; NaN with fewer than 2 events or 2 non-events.</param>
/// <param name="Level">Confidence level, e.g. 0.95.</param>
/// <param name="Low">Lower limit Auc − z·SE, clipped to [0, 1]; 0 when the error is NaN.</param>
/// <param name="High">Upper limit Auc + z·SE, clipped to [0, 1]; 1 when the error is NaN.</param>
/// <param name="Events">m, subjects with the event.</param>
/// <param name="NonEvents">n, subjects without it.</param>
public sealed record AucEstimate(double Auc, double StandardError, double Level, double Low, double High, int Events, int NonEvents)
{
    /// <summary>True when the whole interval lies above ½: the score ranks events above non-events better than chance.</summary>
    public bool BeatsChance => Low > 0.5;
}

/// <summary>The difference of two correlated AUCs measured on the same subjects (first − second), DeLong's paired test.</summary>
/// <param name="First">AUC of the first score.</param>
/// <param name="Second">AUC of the second score.</param>
/// <param name="Difference">First AUC − second AUC.</param>
/// <param name="StandardError">DeLong standard error of the difference.</param>
/// <param name="Level">Confidence level, e.g. 0.95.</param>
/// <param name="Low">Difference − z·SE, clipped to [−1, 1].</param>
/// <param name="High">Difference + z·SE, clipped to [−1, 1].</param>
/// <param name="PValue">Two-sided p-value of H₀: the AUCs are equal; NaN when the standard error is 0 or NaN.</param>
public sealed record AucComparison(AucEstimate First, AucEstimate Second, double Difference, double StandardError, double Level, double Low, double High, double PValue)
{
    /// <summary>True when the whole interval of the difference lies above 0.</summary>
    public bool FirstIsBetter => Low > 0.0;
}

/// <summary>
/// ROC AUC by the Mann–Whitney statistic and its variance by DeLong, DeLong &amp; Clarke-Pearson (1988, Biometrics
/// 44:837–845), computed in O(N log N) by sorting each class once (the idea of Sun &amp; Xu 2014, IEEE Signal
/// Processing Letters 21:1389–1393, who use midranks).
/// </summary>
/// <remarks>
/// With m events X₁..X_m and n non-events Y₁..Y_n and ψ(x, y) = 1 if x &gt; y, ½ if x = y, 0 otherwise, the
/// structural components are V₁₀(Xᵢ) = (1/n)·Σⱼ ψ(Xᵢ, Yⱼ) and V₀₁(Yⱼ) = (1/m)·Σᵢ ψ(Xᵢ, Yⱼ); AUC = mean V₁₀, and
/// Var(AUC) = S₁₀/m + S₀₁/n with S the sample variances (divisor m − 1, n − 1). With both classes sorted,
/// n·V₁₀(Xᵢ) = #{Y &lt; Xᵢ} + ½·#{Y = Xᵢ} is found by one merge walk (and likewise V₀₁), so ties count ½ exactly as ψ
/// says. The interval is the normal one, AUC ± z·SE clipped to [0, 1], as in pROC's
/// default; it can be too narrow when AUC is near 1 with few events.
/// </remarks>
public static class RocAuc
{
    /// <summary>AUC of <paramref name="scores"/> (higher = more likely an event) for <paramref name="outcomes"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">Lengths differ, a score is NaN, only one class occurs, or a bad level.</exception>
    public static AucEstimate Estimate(ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes, double level = 0.95)
    {
        var z = ConfidenceLevel.CriticalValue(level, nameof(level));
        var c = Components(scores, outcomes);
        var (auc, s10, s01) = Moments(c.V10, c.V01, c.V10, c.V01);
        var se = Math.Sqrt((s10 / c.V10.Length) + (s01 / c.V01.Length));
        return Interval(auc, se, level, z, c.V10.Length, c.V01.Length);
    }

    /// <summary>
    /// DeLong's paired comparison: Var(A₁ − A₂) = (S₁₀¹¹ + S₁₀²² − 2S₁₀¹²)/m + (S₀₁¹¹ + S₀₁²² − 2S₀₁¹²)/n, where S¹²
    /// is the sample covariance of the two scores' structural components. The interval is (A₁ − A₂) ± z·SE.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Lengths differ, a score is NaN, only one class occurs, or a bad level.</exception>
    public static AucComparison Compare(ReadOnlySpan<double> first, ReadOnlySpan<double> second, ReadOnlySpan<bool> outcomes, double level = 0.95)
    {
        var z = ConfidenceLevel.CriticalValue(level, nameof(level));
        if (second.Length != first.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(second), second.Length, $"Expected one score per subject ({first.Length}).");
        }

        var a = Components(first, outcomes);
        var b = Components(second, outcomes);
        int m = a.V10.Length, n = a.V01.Length;
        var (aucA, s10A, s01A) = Moments(a.V10, a.V01, a.V10, a.V01);
        var (aucB, s10B, s01B) = Moments(b.V10, b.V01, b.V10, b.V01);
        var (_, s10AB, s01AB) = Moments(a.V10, a.V01, b.V10, b.V01);

        var estimateA = Interval(aucA, Math.Sqrt((s10A / m) + (s01A / n)), level, z, m, n);
        var estimateB = Interval(aucB, Math.Sqrt((s10B / m) + (s01B / n)), level, z, m, n);
        var variance = ((s10A + s10B - (2 * s10AB)) / m) + ((s01A + s01B - (2 * s01AB)) / n);
        var se = Math.Sqrt(Math.Max(0.0, variance));
        var difference = aucA - aucB;
        var p = se > 0 ? Normal.TwoSidedP(difference / se) : double.NaN;
        var (low, high) = double.IsNaN(se) ? (-1.0, 1.0) : (Math.Max(-1.0, difference - (z * se)), Math.Min(1.0, difference + (z * se)));
        return new AucComparison(estimateA, estimateB, difference, se, level, low, high, p);
    }

    private static AucEstimate Interval(double auc, double se, double level, double z, int m, int n) => double.IsNaN(se)
        ? new AucEstimate(auc, se, level, 0.0, 1.0, m, n)
        : new AucEstimate(auc, se, level, Math.Max(0.0, auc - (z * se)), Math.Min(1.0, auc + (z * se)), m, n);

    // AUC of the first pair, and the sample covariances of (V10a, V10b) and (V01a, V01b); NaN with a class of size 1.
    private static (double Auc, double S10, double S01) Moments(double[] v10a, double[] v01a, double[] v10b, double[] v01b)
    {
        var aucA = Mean(v10a);
        var aucB = Mean(v10b);
        return (aucA, Covariance(v10a, aucA, v10b, aucB), Covariance(v01a, aucA, v01b, aucB));
    }

    private static double Mean(double[] values)
    {
        var sum = 0.0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum / values.Length;
    }

    private static double Covariance(double[] a, double meanA, double[] b, double meanB)
    {
        if (a.Length < 2)
        {
            return double.NaN;
        }

        var sum = 0.0;
        for (var i = 0; i < a.Length; i++)
        {
            sum += (a[i] - meanA) * (b[i] - meanB);
        }

        return sum / (a.Length - 1);
    }

    private static (double[] V10, double[] V01) Components(ReadOnlySpan<double> scores, ReadOnlySpan<bool> outcomes)
    {
        if (outcomes.Length != scores.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(outcomes), outcomes.Length, $"Expected one outcome per score ({scores.Length}).");
        }

        var m = 0;
        foreach (var o in outcomes)
        {
            m += o ? 1 : 0;
        }

        var n = scores.Length - m;
        if (m == 0 || n == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(outcomes), m, "AUC needs at least one event and one non-event.");
        }

        var positives = new double[m];
        var negatives = new double[n];
        int ip = 0, ineg = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            if (double.IsNaN(scores[i]))
            {
                throw new ArgumentOutOfRangeException(nameof(scores), scores[i], $"Score {i} is NaN.");
            }

            if (outcomes[i])
            {
                positives[ip++] = scores[i];
            }
            else
            {
                negatives[ineg++] = scores[i];
            }
        }

        // Components are stored in subject order (the k-th event, the k-th non-event) so that two scores' components
        // pair up in Compare; the walk below visits them in score order through these permutations.
        var positiveOrder = Identity(m);
        var negativeOrder = Identity(n);
        Array.Sort(positives, positiveOrder);
        Array.Sort(negatives, negativeOrder);

        // With both classes sorted, "negatives below x plus half the ties" is a merge walk: no combined ranking needed.
        // That equals R(x) − R⁺(x) for midranks, which is the form the remarks give.
        var v10 = new double[m];
        var below = 0;
        for (var i = 0; i < m; i++)
        {
            var x = positives[i];
            while (below < n && negatives[below] < x)
            {
                below++;
            }

            var tiedEnd = below;
            while (tiedEnd < n && negatives[tiedEnd] == x)
            {
                tiedEnd++;
            }

            v10[positiveOrder[i]] = (below + (0.5 * (tiedEnd - below))) / n;
        }

        var v01 = new double[n];
        var notAbove = 0;
        for (var j = 0; j < n; j++)
        {
            var y = negatives[j];
            while (notAbove < m && positives[notAbove] < y)
            {
                notAbove++;
            }

            var tiedEnd = notAbove;
            while (tiedEnd < m && positives[tiedEnd] == y)
            {
                tiedEnd++;
            }

            v01[negativeOrder[j]] = (m - tiedEnd + (0.5 * (tiedEnd - notAbove))) / m;
        }

        return (v10, v01);
    }

    private static int[] Identity(int length)
    {
        var order = new int[length];
        for (var i = 0; i < length; i++)
        {
            order[i] = i;
        }

        return order;
    }
}
