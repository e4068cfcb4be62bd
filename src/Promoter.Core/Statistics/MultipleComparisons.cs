namespace Promoter.Core;

/// <summary>Corrections for testing many cells (segments, periods) at once.</summary>
public static class MultipleComparisons
{
    /// <summary>
    /// Holm's step-down adjusted p-values, in the input order: sort ascending, multiply the i-th smallest (from 0)
    /// by m − i, carry the running maximum forward and cap at 1. Reject where adjusted p &lt; α to control the
    /// family-wise error rate at α.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A p-value is NaN or outside [0, 1].</exception>
    public static double[] HolmAdjust(IReadOnlyList<double> pValues)
    {
        ArgumentNullException.ThrowIfNull(pValues);
        var m = pValues.Count;
        var order = new int[m];
        for (var i = 0; i < m; i++)
        {
            var p = pValues[i];
            if (!(p >= 0.0 && p <= 1.0))
            {
                throw new ArgumentOutOfRangeException(nameof(pValues), p, $"p-value #{i} must be in [0, 1].");
            }

            order[i] = i;
        }

        // A stable sort keeps tied p-values in input order; the running maximum then gives ties one adjusted value.
        var sorted = order.OrderBy(i => pValues[i]).ToArray();
        var adjusted = new double[m];
        var runningMax = 0.0;
        for (var rank = 0; rank < m; rank++)
        {
            var index = sorted[rank];
            runningMax = Math.Max(runningMax, Math.Min(1.0, (m - rank) * pValues[index]));
            adjusted[index] = runningMax;
        }

        return adjusted;
    }
}
