namespace Promoter.Core;

/// <summary>
/// Tango's (1998) score interval for a difference of correlated proportions, applied to NPS = P(promoter) − P(detractor)
/// as in Rocks' <c>iterative()</c>. The interval is every Δ whose score statistic
/// Z(Δ) = (p − d − nΔ) / sqrt(n·(2q̃ + Δ(1 − Δ))) lies in [−z, z], q̃ being the restricted MLE of P(detractor).
/// </summary>
internal static class TangoInterval
{
    private const double Tolerance = 1e-13;

    // Z is 0/0 at Δ = estimate when there are no promoters and no detractors, so brackets start just beside it.
    private const double Offset = 1e-10;

    /// <summary>Interval on the unit scale [−1, 1].</summary>
    public static (double Low, double High) Compute(NpsCounts counts, double z)
    {
        // The statistic is symmetric under swapping detractors and promoters. Solving with d ≤ p keeps the quadratic's
        // discriminant and 2q̃ + Δ(1 − Δ) free of cancellation, which otherwise costs ~1e-9 near Δ = −1 when d ≈ n.
        if (counts.Detractors > counts.Promoters)
        {
            var (low, high) = Compute(new NpsCounts(counts.Promoters, counts.Passives, counts.Detractors), z);
            return (-high, -low);
        }

        double d = counts.Detractors;
        double p = counts.Promoters;
        double n = counts.N;
        var estimate = (p - d) / n;

        // Crossing Z = ∓z is the sign change of numerator ± z·scale; unlike Z itself that stays finite at Δ = ±1.
        double Upper(double delta) => Numerator(delta) + (z * Scale(d, p, n, delta));
        double Lower(double delta) => Numerator(delta) - (z * Scale(d, p, n, delta));
        double Numerator(double delta) => p - d - (n * delta);

        var upperLimit = counts.Promoters == counts.N ? 1.0 : UpperLimit(Upper, estimate);
        var lowerLimit = counts.Detractors == counts.N ? -1.0 : LowerLimit(Lower, estimate);
        return (lowerLimit, upperLimit);
    }

    private static double UpperLimit(Func<double, double> f, double estimate)
    {
        var start = estimate + Math.Min(Offset, 0.5 * (1.0 - estimate));
        var fStart = f(start);
        return fStart <= 0.0 ? start : RootFinder.Solve(f, start, fStart, 1.0, f(1.0), Tolerance);
    }

    private static double LowerLimit(Func<double, double> f, double estimate)
    {
        var start = estimate - Math.Min(Offset, 0.5 * (estimate + 1.0));
        var fStart = f(start);
        return fStart >= 0.0 ? start : RootFinder.Solve(f, -1.0, f(-1.0), start, fStart, Tolerance);
    }

    /// <summary>sqrt(n·Var(s | NPS = Δ)) with Var = 2q̃ + Δ(1 − Δ).</summary>
    private static double Scale(double d, double p, double n, double delta)
    {
        // q̃ is the non-negative root of 2n·q² + B·q + C = 0; each branch avoids cancellation.
        var b = -d - p + (((2.0 * n) - p + d) * delta);
        var c = -d * delta * (1.0 - delta);
        var root = Math.Sqrt(Math.Max(0.0, (b * b) - (8.0 * n * c)));
        var q = b > 0.0 ? -2.0 * c / (b + root) : (root - b) / (4.0 * n);
        var variance = Math.Max(0.0, (2.0 * q) + (delta * (1.0 - delta)));
        return Math.Sqrt(n * variance);
    }
}
