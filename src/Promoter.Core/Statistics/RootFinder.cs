namespace Promoter.Core;

/// <summary>
/// Bracketing root finder in the spirit of Brent's method: inverse quadratic or secant steps while they keep the
/// bracket shrinking fast, a bisection step whenever they do not. Never leaves the bracket and needs at most about
/// twice the steps of plain bisection.
/// </summary>
internal static class RootFinder
{
    private const int MaxIterations = 500;

    /// <summary>A root of <paramref name="f"/> between <paramref name="a"/> and <paramref name="b"/>, to within <paramref name="tolerance"/>.</summary>
    /// <exception cref="ArgumentException">f(a) and f(b) have the same sign.</exception>
    public static double Solve(Func<double, double> f, double a, double b, double tolerance) =>
        Solve(f, a, f(a), b, f(b), tolerance);

    /// <inheritdoc cref="Solve(Func{double, double}, double, double, double)"/>
    public static double Solve(Func<double, double> f, double a, double fa, double b, double fb, double tolerance)
    {
        if (fa == 0.0)
        {
            return a;
        }

        if (fb == 0.0)
        {
            return b;
        }

        if (!(Math.Sign(fa) * Math.Sign(fb) < 0))
        {
            throw new ArgumentException($"The root is not bracketed: f({a}) = {fa}, f({b}) = {fb}.", nameof(f));
        }

        // (a, fa) and (b, fb) bracket the root; (c, fc) is the point dropped last, the third point for interpolation.
        var c = a;
        var fc = fa;
        var previousWidth = double.PositiveInfinity;
        for (var i = 0; i < MaxIterations; i++)
        {
            var lo = Math.Min(a, b);
            var hi = Math.Max(a, b);
            var width = hi - lo;
            if (width <= tolerance)
            {
                break;
            }

            var x = Interpolate(a, fa, b, fb, c, fc);
            if (!(x > lo && x < hi) || width > 0.5 * previousWidth)
            {
                x = 0.5 * (lo + hi);
            }

            // Staying tolerance/2 inside the bracket stops one-sided secant steps from crawling.
            x = Math.Clamp(x, lo + (0.5 * tolerance), hi - (0.5 * tolerance));
            previousWidth = width;

            var fx = f(x);
            if (fx == 0.0)
            {
                return x;
            }

            if (Math.Sign(fx) == Math.Sign(fa))
            {
                (c, fc) = (a, fa);
                (a, fa) = (x, fx);
            }
            else
            {
                (c, fc) = (b, fb);
                (b, fb) = (x, fx);
            }
        }

        return 0.5 * (a + b);
    }

    private static double Interpolate(double a, double fa, double b, double fb, double c, double fc)
    {
        if (c != a && c != b && fa != fc && fb != fc)
        {
            return (a * fb * fc / ((fa - fb) * (fa - fc)))
                + (b * fa * fc / ((fb - fa) * (fb - fc)))
                + (c * fa * fb / ((fc - fa) * (fc - fb)));
        }

        return b - (fb * (b - a) / (fb - fa));
    }
}
