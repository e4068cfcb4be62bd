namespace Promoter.Core.Statistics;

/// <summary>
/// A theme's impact on NPS, in points. <see cref="Impact"/> is the raw NPS(all) − NPS(all without the theme);
/// [<see cref="Low"/>, <see cref="High"/>] is its confidence interval (see <see cref="ThemeImpact.Estimate"/>).
/// </summary>
/// <param name="Impact">NPS(all) − NPS(without the theme), points; 0 when no response has the theme; NaN when every
/// response has it (there is no "without").</param>
/// <param name="Low">Lower limit, points (NaN with <paramref name="Impact"/>).</param>
/// <param name="High">Upper limit, points (NaN with <paramref name="Impact"/>).</param>
/// <param name="NpsWith">NPS of the responses with the theme; NaN when there are none.</param>
/// <param name="NpsWithout">NPS of the other responses; NaN when there are none.</param>
/// <param name="N">All responses.</param>
/// <param name="NWith">Responses with the theme.</param>
public sealed record ThemeImpactEstimate(double Impact, double Low, double High, double NpsWith, double NpsWithout, long N, long NWith);

/// <summary>How much a theme moves NPS (Thematic's "impact"): NPS(all) − NPS(all responses without the theme).</summary>
public static class ThemeImpact
{
    /// <summary>
    /// Impact with a confidence interval. With T the responses with the theme, R the rest and w = n_T/n:
    /// NPS(all) = w·NPS_T + (1 − w)·NPS_R, so impact = NPS(all) − NPS_R = w·(NPS_T − NPS_R).
    /// The interval treats w as fixed (it is the observed share of the responses the impact is about) and T and R as
    /// two independent samples, exactly as <see cref="NpsComparison.CompareIndependent"/> with adjusted Wald does:
    /// 0.75 / 1.5 / 0.75 pseudo-responses are added to each group, and
    /// interval = w·(NPS~_T − NPS~_R) ± z·w·sqrt(V~_T/ñ_T + V~_R/ñ_R), with V~ = (p~ + d~)/ñ − NPS~² per group.
    /// Like every adjusted-Wald interval it is centred on the shrunk difference, not on the raw impact. It is clipped
    /// to [−200·w, 200·w], the range w·(NPS_T − NPS_R) can take.
    /// </summary>
    /// <param name="all">All responses in the range and filter.</param>
    /// <param name="withTheme">Those of them that have the theme: each count at most the one in <paramref name="all"/>.</param>
    /// <param name="level">Confidence level as a fraction in [0.5, 1).</param>
    /// <exception cref="InvalidOperationException">There are no responses.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The level is invalid, or <paramref name="withTheme"/> has more
    /// responses in a category than <paramref name="all"/>.</exception>
    public static ThemeImpactEstimate Estimate(NpsCounts all, NpsCounts withTheme, double level = 0.95)
    {
        var z = ConfidenceLevel.CriticalValue(level, nameof(level));
        if (withTheme.Detractors > all.Detractors || withTheme.Passives > all.Passives || withTheme.Promoters > all.Promoters)
        {
            throw new ArgumentOutOfRangeException(nameof(withTheme), withTheme, "The responses with a theme are a subset of all responses.");
        }

        if (all.N == 0)
        {
            throw new InvalidOperationException("A theme's impact cannot be estimated from zero responses.");
        }

        var without = new NpsCounts(all.Detractors - withTheme.Detractors, all.Passives - withTheme.Passives, all.Promoters - withTheme.Promoters);
        if (withTheme.N == 0)
        {
            // Removing nothing changes nothing: exactly zero.
            return new ThemeImpactEstimate(0, 0, 0, double.NaN, without.Nps, all.N, 0);
        }

        if (without.N == 0)
        {
            return new ThemeImpactEstimate(double.NaN, double.NaN, double.NaN, withTheme.Nps, double.NaN, all.N, withTheme.N);
        }

        var share = (double)withTheme.N / all.N;
        var theme = Trinomial.Adjusted(withTheme);
        var rest = Trinomial.Adjusted(without);
        var centre = share * (theme.Nps - rest.Nps);
        var half = z * share * Math.Sqrt((theme.Variance / theme.N) + (rest.Variance / rest.N));
        var bound = 2.0 * share;
        return new ThemeImpactEstimate(
            all.Nps - without.Nps,
            100.0 * Math.Max(-bound, centre - half),
            100.0 * Math.Min(bound, centre + half),
            withTheme.Nps,
            without.Nps,
            all.N,
            withTheme.N);
    }
}
