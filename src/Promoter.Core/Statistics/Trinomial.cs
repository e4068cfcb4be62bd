namespace Promoter.Core;

/// <summary>NPS and per-response variance on the unit scale for possibly fractional (pseudo-count adjusted) counts.</summary>
internal readonly record struct Trinomial(double Nps, double Variance, double N)
{
    public double StandardError => Math.Sqrt(Variance / N);

    public static Trinomial Raw(NpsCounts counts) =>
        new((double)(counts.Promoters - counts.Detractors) / counts.N, counts.Variance, counts.N);

    public static Trinomial Adjusted(NpsCounts counts)
    {
        var detractors = counts.Detractors + PseudoCounts.Detractors;
        var promoters = counts.Promoters + PseudoCounts.Promoters;
        var n = counts.N + PseudoCounts.Total;
        var nps = (promoters - detractors) / n;
        var variance = Math.Max(0.0, ((promoters + detractors) / n) - (nps * nps));
        return new Trinomial(nps, variance, n);
    }
}
