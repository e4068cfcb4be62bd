namespace Promoter.Core;

/// <summary>
/// The adjusted-Wald pseudo-responses (Rocks 2016; MeasuringU): ¾ detractor, 1½ passive, ¾ promoter, 3 in all.
/// </summary>
public static class PseudoCounts
{
    public const double Detractors = 0.75;
    public const double Passives = 1.5;
    public const double Promoters = 0.75;
    public const double Total = Detractors + Passives + Promoters;
}
