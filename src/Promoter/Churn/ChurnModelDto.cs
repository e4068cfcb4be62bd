using Promoter.Core.Churn;

namespace Promoter.Churn;

public sealed record CalibrationRowDto(int Group, int Count, double MeanPredicted, double Observed, double ObservedLow, double ObservedHigh, bool WithinSamplingError);

public sealed record CategoryChurnDto(string Category, long Churned, long Contacts, double Rate, double Low, double High);

public sealed record CoefficientDto(string Feature, double Coefficient, double PerSd, double OddsRatioPerSd, bool RaisesRisk);

/// <summary>
/// <c>GET /api/v1/churn/model</c>: which scorer is in use and what the workspace's own history says (issue 16 §3). AUCs,
/// calibration and churn by category are measured on the later-period holdout.
/// </summary>
public sealed record ChurnModelDto(
    string Status,
    string Decision,
    string Explanation,
    int Events,
    int NonEvents,
    int HoldoutEvents,
    int HoldoutNonEvents,
    double? Auc,
    double? AucLow,
    double? AucHigh,
    double? ModelAuc,
    double? RuleAuc,
    IReadOnlyList<CalibrationRowDto> Calibration,
    bool? CalibrationWithinSamplingError,
    IReadOnlyList<CategoryChurnDto> ChurnRateByCategory,
    string? CategoryOrdering,
    IReadOnlyList<CoefficientDto> Coefficients,
    int ChurnEventsRecorded,
    DateTime? FittedAt)
{
    public static ChurnModelDto NotFitted(int churnEvents) => new("rules", "not_enough_events",
        "Not enough churned and retained contacts yet to fit and check a model; the rule score is in use.",
        0, 0, 0, 0, null, null, null, null, null, [], null, [], null, [], churnEvents, null);

    public static ChurnModelDto From(ModelCard card, int churnEvents, DateTime fittedAt)
    {
        ArgumentNullException.ThrowIfNull(card);
        return new ChurnModelDto(
            card.StatusName,
            card.Decision switch
            {
                ModelDecision.Fitted => "fitted",
                ModelDecision.NotEnoughEvents => "not_enough_events",
                ModelDecision.DoesNotBeatChance => "does_not_beat_chance",
                _ => "does_not_beat_rules",
            },
            card.Explanation,
            card.Events,
            card.NonEvents,
            card.HoldoutEvents,
            card.HoldoutNonEvents,
            Finite(card.Auc),
            Finite(card.AucLow),
            Finite(card.AucHigh),
            Finite(card.ModelAuc?.Auc),
            Finite(card.RuleAuc?.Auc),
            card.Calibration?.Groups.Select(g => new CalibrationRowDto(g.Group, g.Count, g.MeanPredicted, g.Observed.Rate, g.Observed.Low, g.Observed.High, g.WithinSamplingError)).ToList() ?? [],
            card.Calibration?.WithinSamplingError,
            card.ChurnRateByCategory?.Rates.Select(r => new CategoryChurnDto(r.Category.ToWireName(), r.Churn.Successes, r.Churn.Trials, Finite(r.Churn.Rate) ?? 0,
                Finite(r.Churn.Low) ?? 0, Finite(r.Churn.High) ?? 0)).ToList() ?? [],
            card.ChurnRateByCategory?.Ordering.ToString() is { } ordering ? char.ToLowerInvariant(ordering[0]) + ordering[1..] : null,
            card.Coefficients.Select(c => new CoefficientDto(c.Feature, c.Coefficient, c.StandardisedCoefficient, c.OddsRatioPerSd, c.RaisesRisk)).ToList(),
            churnEvents,
            fittedAt);
    }

    // JSON has no NaN: an undefined figure (a category without contacts) is null.
    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? v : null;
}
