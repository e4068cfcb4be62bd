namespace Promoter.Core;

/// <summary>The standard normal distribution, accurate to about 1e-14 relative error over the useful range.</summary>
public static class Normal
{
    private const double InverseSqrtTwoPi = 0.398942280401432677939946059934;

    // Below this |x| the Taylor series is used; above it the continued fraction converges in under 100 terms.
    private const double SeriesLimit = 2.5;
    private const int ContinuedFractionTerms = 100;

    /// <summary>Density φ(x).</summary>
    public static double Pdf(double x) => InverseSqrtTwoPi * Math.Exp(-0.5 * x * x);

    /// <summary>Φ(x) = P(Z ≤ x). NaN for NaN.</summary>
    public static double Cdf(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x <= -SeriesLimit)
        {
            return UpperTail(-x);
        }

        return x >= SeriesLimit ? 1.0 - UpperTail(x) : 0.5 + (Pdf(x) * OddSeries(x));
    }

    /// <summary>
    /// Φ⁻¹(p); −∞ at 0 and +∞ at 1. A rational starting value (Abramowitz &amp; Stegun 26.2.23, error &lt; 4.5e-4)
    /// refined by Halley steps on <see cref="Cdf"/>, which converge cubically to full precision.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is NaN or outside [0, 1].</exception>
    public static double Quantile(double p)
    {
        if (!(p >= 0.0 && p <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "A probability must be in [0, 1].");
        }

        // 1 − p is exact for p ≥ 0.5, so the upper half costs no precision by symmetry.
        return p > 0.5 ? -LowerQuantile(1.0 - p) : LowerQuantile(p);
    }

    /// <summary>Two-sided p-value 2·(1 − Φ(|z|)) = 2·Φ(−|z|); 0 for infinite z, NaN for NaN.</summary>
    public static double TwoSidedP(double z) => double.IsNaN(z) ? double.NaN : Math.Min(1.0, 2.0 * Cdf(-Math.Abs(z)));

    // Marsaglia's series: Φ(x) = ½ + φ(x)·(x + x³/3 + x⁵/(3·5) + …).
    private static double OddSeries(double x)
    {
        var x2 = x * x;
        var term = x;
        var sum = x;
        for (var k = 1; k < 200; k++)
        {
            term *= x2 / ((2 * k) + 1);
            var next = sum + term;
            if (next == sum)
            {
                break;
            }

            sum = next;
        }

        return sum;
    }

    // 1 − Φ(x) for x ≥ SeriesLimit via the Laplace continued fraction φ(x) / (x + 1/(x + 2/(x + 3/(x + …)))),
    // evaluated bottom-up; it keeps full relative precision deep in the tail where 1 − Φ(x) would cancel.
    private static double UpperTail(double x)
    {
        if (double.IsPositiveInfinity(x))
        {
            return 0.0;
        }

        var fraction = x;
        for (var k = ContinuedFractionTerms; k >= 1; k--)
        {
            fraction = x + (k / fraction);
        }

        return Pdf(x) / fraction;
    }

    private static double LowerQuantile(double p)
    {
        if (p == 0.0)
        {
            return double.NegativeInfinity;
        }

        if (p == 0.5)
        {
            return 0.0;
        }

        var t = Math.Sqrt(-2.0 * Math.Log(p));
        var x = -(t - ((2.515517 + (t * (0.802853 + (t * 0.010328)))) / (1.0 + (t * (1.432788 + (t * (0.189269 + (t * 0.001308))))))));
        for (var i = 0; i < 4; i++)
        {
            var density = Pdf(x);
            if (density == 0.0)
            {
                break;
            }

            var error = (Cdf(x) - p) / density;
            var step = error / (1.0 + (0.5 * x * error));
            x -= step;
            if (Math.Abs(step) <= 1e-16 * Math.Max(1.0, Math.Abs(x)))
            {
                break;
            }
        }

        return x;
    }
}
