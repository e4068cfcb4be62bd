namespace Promoter.Core.Churn;

/// <summary>One risk group of a <see cref="CalibrationTable"/>.</summary>
/// <param name="Group">1 = lowest predicted risk … 10 = highest (for deciles).</param>
/// <param name="Count">Contacts in the group.</param>
/// <param name="MinPredicted">Lowest prediction in the group.</param>
/// <param name="MaxPredicted">Highest prediction in the group.</param>
/// <param name="MeanPredicted">Mean predicted probability of the contacts in the group.</param>
/// <param name="Observed">Observed rate with its Wilson interval at the table's per-group level.</param>
/// <param name="WithinSamplingError">Whether that Wilson interval contains <see cref="MeanPredicted"/>.</param>
public sealed record CalibrationGroup(int Group, int Count, double MinPredicted, double MaxPredicted, double MeanPredicted, Proportion Observed, bool WithinSamplingError);

/// <summary>Predicted against observed event rates by risk group (deciles by default).</summary>
/// <param name="Groups">Lowest risk first.</param>
/// <param name="Level">Family-wise level the table is judged at, e.g. 0.95.</param>
/// <param name="GroupLevel">Per-group Wilson level after the Bonferroni correction: 1 − (1 − Level) / groups.</param>
public sealed record CalibrationTable(IReadOnlyList<CalibrationGroup> Groups, double Level, double GroupLevel)
{
    /// <summary>Groups whose Wilson interval misses their mean prediction.</summary>
    public int GroupsOutside
    {
        get
        {
            var outside = 0;
            foreach (var g in Groups)
            {
                outside += g.WithinSamplingError ? 0 : 1;
            }

            return outside;
        }
    }

    /// <summary>Every group's observed rate is within sampling error of its mean prediction.</summary>
    public bool WithinSamplingError => GroupsOutside == 0;
}

/// <summary>Calibration of predicted probabilities against outcomes (the "calibration plot" as a table).</summary>
public static class Calibration
{
    /// <summary>
    /// Sorts contacts by predicted probability and cuts them into <paramref name="groups"/> groups of equal size
    /// (sizes differ by at most one: group g holds sorted positions ⌊g·N/G⌋ … ⌊(g+1)·N/G⌋ − 1, so contacts with equal
    /// predictions may fall on both sides of a cut). For each group it reports the mean prediction and the observed rate
    /// with a Wilson interval, and calls the group within sampling error when the interval contains the mean prediction.
    /// <para>
    /// The per-group level is Bonferroni-corrected, 1 − (1 − level)/G (0.995 for deciles at 0.95), so a well calibrated
    /// model passes the whole table with probability ≥ level; at the uncorrected 0.95 one of ten deciles would miss by
    /// chance 40% of the time. We chose this over the Hosmer–Lemeshow χ² (Hosmer &amp; Lemeshow 2000, §5.2.2) because
    /// it says which decile is off and in which direction, which is what the model card shows; it treats the mean
    /// prediction as fixed, ignoring the model's own uncertainty, which is small next to a decile's binomial error.
    /// </para>
    /// </summary>
    /// <param name="predicted">Probabilities in [0, 1].</param>
    /// <param name="outcomes">One outcome per prediction.</param>
    /// <param name="level">Family-wise confidence level in [0.5, 1).</param>
    /// <param name="groups">Number of risk groups, at least 1; fewer when there are fewer contacts than groups.</param>
    /// <exception cref="ArgumentOutOfRangeException">Lengths differ, a prediction is outside [0, 1], no contacts, or a bad level or group count.</exception>
    public static CalibrationTable ByRiskGroup(ReadOnlySpan<double> predicted, ReadOnlySpan<bool> outcomes, double level = 0.95, int groups = 10)
    {
        ConfidenceLevel.CriticalValue(level, nameof(level));
        ArgumentOutOfRangeException.ThrowIfLessThan(groups, 1);
        if (outcomes.Length != predicted.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(outcomes), outcomes.Length, $"Expected one outcome per prediction ({predicted.Length}).");
        }

        var total = predicted.Length;
        ArgumentOutOfRangeException.ThrowIfZero(total, nameof(predicted));
        var keys = predicted.ToArray();
        var events = new bool[total];
        for (var i = 0; i < total; i++)
        {
            if (!(keys[i] >= 0.0 && keys[i] <= 1.0))
            {
                throw new ArgumentOutOfRangeException(nameof(predicted), keys[i], $"Prediction {i} is not a probability in [0, 1].");
            }
        }

        outcomes.CopyTo(events);
        Array.Sort(keys, events);

        var g = Math.Min(groups, total);
        var groupLevel = 1.0 - ((1.0 - level) / g);
        var rows = new CalibrationGroup[g];
        for (var k = 0; k < g; k++)
        {
            var start = (int)((long)k * total / g);
            var end = (int)((long)(k + 1) * total / g);
            var sum = 0.0;
            var observed = 0;
            for (var i = start; i < end; i++)
            {
                sum += keys[i];
                observed += events[i] ? 1 : 0;
            }

            var count = end - start;
            var mean = sum / count;
            var rate = Proportion.Wilson(observed, count, groupLevel);
            rows[k] = new CalibrationGroup(k + 1, count, keys[start], keys[end - 1], mean, rate, rate.Contains(mean));
        }

        return new CalibrationTable(rows, level, groupLevel);
    }
}
