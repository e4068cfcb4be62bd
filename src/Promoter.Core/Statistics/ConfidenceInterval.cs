namespace Promoter.Core;

/// <summary>A confidence interval in NPS points, with the method and level (a fraction, e.g. 0.95) that produced it.</summary>
public readonly record struct ConfidenceInterval(ConfidenceMethod Method, double Level, double Low, double High)
{
    /// <summary>Whether <paramref name="value"/> lies in [Low, High].</summary>
    public bool Contains(double value) => value >= Low && value <= High;
}
