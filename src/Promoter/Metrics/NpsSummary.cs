using Promoter.Core;

namespace Promoter.Metrics;

public sealed record IntervalDto(string Method, double Level, double Low, double High);

public sealed record SharesDto(double Detractors, double Passives, double Promoters);

/// <summary>NPS of one slice as the API and dashboard show it: points on −100..100, shares on 0..1, level in percent.</summary>
public sealed record NpsSummary(
    long N,
    long Detractors,
    long Passives,
    long Promoters,
    SharesDto? Shares,
    double? Nps,
    IntervalDto? Ci,
    double? MarginOfError,
    double? StandardError,
    long[] Distribution,
    bool LowConfidence)
{
    public static NpsSummary From(Histogram histogram, ConfidenceMethod method, double level)
    {
        var counts = histogram.ToDistribution().ToCounts();
        if (counts.N == 0)
        {
            return new NpsSummary(0, 0, 0, 0, null, null, null, null, null, histogram.Counts, true);
        }

        var e = NpsStatistics.Estimate(counts, method, level);
        return new NpsSummary(counts.N, counts.Detractors, counts.Passives, counts.Promoters,
            new SharesDto(counts.DetractorShare, counts.PassiveShare, counts.PromoterShare), e.Nps,
            new IntervalDto(method.ToWireName(), level * 100, e.Interval.Low, e.Interval.High), e.MarginOfError, e.StandardError,
            histogram.Counts, e.LowConfidence);
    }
}
