namespace Promoter.Core;

internal static class ConfidenceLevel
{
    public const double Minimum = 0.5;

    /// <summary>z = Φ⁻¹(1 − α/2) for a two-sided interval at <paramref name="level"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The level is not in [0.5, 1).</exception>
    public static double CriticalValue(double level, string paramName = "level")
    {
        if (!(level >= Minimum && level < 1.0))
        {
            throw new ArgumentOutOfRangeException(paramName, level, "A confidence level is a fraction in [0.5, 1), e.g. 0.95.");
        }

        return Normal.Quantile(1.0 - ((1.0 - level) / 2.0));
    }
}
