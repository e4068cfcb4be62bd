namespace Promoter.Core.Churn;

/// <summary>
/// The fixed feature vector the fitted churn model uses, built from <see cref="ChurnSignals"/> at a scoring date
/// (statistics.md §6.1). Missing values are 0 with an indicator where "missing" means something (non-respondent,
/// no account NPS), so the linear model can give the missing state its own weight.
/// </summary>
public static class ChurnFeatures
{
    /// <summary>Days overdue are capped here, so one forgotten case does not dominate the fit.</summary>
    public const int OverdueDaysCap = 90;

    private static readonly string[] FeatureNames =
    [
        "last_score",               // 0–10; 0 for a non-respondent (see non_respondent)
        "detractor",                // 1 when the last score is 0–6
        "passive",                  // 1 when the last score is 7–8
        "non_respondent",           // 1 when the contact never answered
        "change",                   // last − previous score; 0 with fewer than two scores
        "drop",                     // max(0, previous − last)
        "promoter_to_passive",
        "passive_to_detractor",
        "promoter_to_detractor",
        "trend_per_month",          // OLS slope of the last 3–5 scores; 0 when not available
        "log_days_since_response",  // ln(1 + days); 0 for a non-respondent
        "unanswered_invitations",
        "unanswered_after_low_score",
        "open_cases",
        "overdue_cases",
        "days_overdue",             // oldest overdue case, capped at 90
        "case_closed_without_contact",
        "account_nps",              // account NPS / 100; 0 when unknown
        "account_nps_missing",
    ];

    public static IReadOnlyList<string> Names => FeatureNames;

    public static int Count => FeatureNames.Length;

    /// <summary>Writes the features of <paramref name="signals"/> at <paramref name="asOf"/> into <paramref name="destination"/>
    /// (length <see cref="Count"/>). Allocation-free.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The destination has the wrong length.</exception>
    public static void Write(ChurnSignals signals, DateTime asOf, Span<double> destination)
    {
        ArgumentNullException.ThrowIfNull(signals);
        if (destination.Length != FeatureNames.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(destination), destination.Length, $"Expected {FeatureNames.Length} feature slots.");
        }

        var category = signals.Category;
        var change = signals.Change ?? 0;
        var move = signals.Move;
        destination[0] = signals.LastScore?.Value ?? 0;
        destination[1] = category == ResponseCategory.Detractor ? 1 : 0;
        destination[2] = category == ResponseCategory.Passive ? 1 : 0;
        destination[3] = category == ResponseCategory.NonRespondent ? 1 : 0;
        destination[4] = change;
        destination[5] = Math.Max(0, -change);
        destination[6] = move == CategoryMove.PromoterToPassive ? 1 : 0;
        destination[7] = move == CategoryMove.PassiveToDetractor ? 1 : 0;
        destination[8] = move == CategoryMove.PromoterToDetractor ? 1 : 0;
        destination[9] = signals.TrendPerMonth ?? 0;
        destination[10] = signals.DaysSinceLastResponse(asOf) is { } days ? Math.Log(1.0 + Math.Max(0, days)) : 0;
        destination[11] = signals.UnansweredInvitations;
        destination[12] = category == ResponseCategory.Detractor ? signals.UnansweredInvitations : 0;
        destination[13] = signals.OpenCases;
        destination[14] = signals.OverdueCases;
        destination[15] = Math.Min(OverdueDaysCap, signals.DaysOverdue(asOf));
        destination[16] = signals.ClosedWithoutContactAt is null ? 0 : 1;
        destination[17] = (signals.AccountNps ?? 0) / 100.0;
        destination[18] = signals.AccountNps is null ? 1 : 0;
    }

    /// <summary>A matrix with one row per (signals, scoring date) pair, ready for <see cref="LogisticRegression.Fit"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The lists differ in length.</exception>
    public static FeatureMatrix Matrix(IReadOnlyList<ChurnSignals> signals, IReadOnlyList<DateTime> asOf)
    {
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(asOf);
        if (asOf.Count != signals.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(asOf), asOf.Count, $"Expected one scoring date per contact ({signals.Count}).");
        }

        var matrix = new FeatureMatrix(FeatureNames, signals.Count);
        for (var i = 0; i < signals.Count; i++)
        {
            Write(signals[i], asOf[i], matrix.Row(i));
        }

        return matrix;
    }

    /// <summary>
    /// Risk 0–100 from a fitted model: round(100 · P(churn)). Allocation-free (the features live on the stack), so the
    /// fitted model rescores as cheaply as the rule score.
    /// </summary>
    public static int Score(LogisticModel model, ChurnSignals signals, DateTime asOf)
    {
        ArgumentNullException.ThrowIfNull(model);
        Span<double> features = stackalloc double[FeatureNames.Length];
        Write(signals, asOf, features);
        return (int)Math.Round(100.0 * model.Predict(features), MidpointRounding.AwayFromZero);
    }
}
