namespace Promoter.Core.Churn;

/// <summary>Training rows (earlier) and holdout rows (later), cut at <see cref="Cutoff"/>.</summary>
/// <param name="Train">Rows with time &lt; Cutoff − purge, in time order.</param>
/// <param name="Holdout">Rows with time ≥ Cutoff, in time order.</param>
/// <param name="Cutoff">First instant of the holdout period.</param>
public sealed record TimeSplit<T>(IReadOnlyList<T> Train, IReadOnlyList<T> Holdout, DateTime Cutoff);

public static class TimeSplit
{
    /// <summary>
    /// Time-based split (statistics.md §6.2): sorts rows by scoring time, puts the cutoff at the time of the row at
    /// position ⌊trainFraction·N⌋, and trains on rows before it and evaluates on rows from it on (rows sharing the cutoff
    /// time all go to the holdout, so one instant is never on both sides). <paramref name="purge"/> drops training rows
    /// within that span before the cutoff: with a churn horizon H, a row scored at T has its label decided by T + H, so
    /// purging H keeps every training label from being decided inside the holdout period.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The fraction is not in (0, 1), the purge is negative, or fewer than 2 rows.</exception>
    public static TimeSplit<T> ByTime<T>(IReadOnlyList<T> rows, Func<T, DateTime> timeOf, double trainFraction = 0.7, TimeSpan purge = default)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(timeOf);
        if (!(trainFraction > 0.0 && trainFraction < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "The training fraction must be in (0, 1).");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(purge, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(rows.Count, 2, nameof(rows));

        var times = new DateTime[rows.Count];
        var order = new T[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            times[i] = timeOf(rows[i]);
            order[i] = rows[i];
        }

        // Array.Sort is unstable; the order within one instant does not matter to either side.
        Array.Sort(times, order);
        var cut = Math.Clamp((int)(trainFraction * rows.Count), 1, rows.Count - 1);
        var cutoff = times[cut];
        var trainEnd = cutoff - purge;
        var train = new List<T>(cut);
        var holdout = new List<T>(rows.Count - cut);
        for (var i = 0; i < order.Length; i++)
        {
            if (times[i] >= cutoff)
            {
                holdout.Add(order[i]);
            }
            else if (times[i] < trainEnd)
            {
                train.Add(order[i]);
            }
        }

        return new TimeSplit<T>(train, holdout, cutoff);
    }
}
