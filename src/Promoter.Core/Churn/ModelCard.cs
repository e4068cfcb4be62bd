namespace Promoter.Core.Churn;

/// <summary>Which scorer a workspace uses. Wire names "rules" and "fitted".</summary>
public enum ChurnModelStatus
{
    Rules,
    Fitted,
}

/// <summary>Why <see cref="ModelCard.Status"/> is what it is.</summary>
public enum ModelDecision
{
    /// <summary>The fitted model beats chance and the rule score on the holdout: it is in use.</summary>
    Fitted,

    /// <summary>Too few churned or retained contacts to fit or to evaluate: the rules stay in use.</summary>
    NotEnoughEvents,

    /// <summary>The fitted model's holdout AUC interval includes ½: it does not beat chance, the rules stay in use.</summary>
    DoesNotBeatChance,

    /// <summary>It beats chance but not the rule score (by the chosen criterion): the rules stay in use.</summary>
    DoesNotBeatRules,
}

/// <summary>How "beats the rule score" is judged.</summary>
public enum ModelSelectionCriterion
{
    /// <summary>The fitted model's holdout AUC point estimate is higher than the rule score's. The default: the issue asks
    /// for the better scorer, and the chance gate already refuses a model that learned nothing.</summary>
    HigherAuc,

    /// <summary>Stricter: DeLong's paired interval of (model AUC − rule AUC) lies wholly above 0.</summary>
    SignificantlyHigherAuc,
}

/// <summary>A coefficient of the fitted model, read as "what raises risk".</summary>
/// <param name="Feature">A name from <see cref="ChurnFeatures.Names"/>.</param>
/// <param name="Coefficient">Change in log-odds per unit of the feature.</param>
/// <param name="StandardisedCoefficient">Change in log-odds per training standard deviation (the sort key).</param>
/// <param name="OddsRatioPerSd">e^StandardisedCoefficient: &gt; 1 raises risk, &lt; 1 lowers it.</param>
/// <param name="StandardError">Standard error of <see cref="Coefficient"/> (see <see cref="LogisticModel"/> on its meaning).</param>
public sealed record RiskFactor(string Feature, double Coefficient, double StandardisedCoefficient, double OddsRatioPerSd, double StandardError)
{
    public bool RaisesRisk => StandardisedCoefficient > 0;
}

/// <summary>
/// What the workspace's own history says about churn, and which scorer is in use (issue 16 §3). AUCs, calibration and
/// churn by category are measured on the holdout (the later period), never on the rows the model was fitted on.
/// </summary>
/// <param name="Status">Rules or fitted.</param>
/// <param name="Decision">Why.</param>
/// <param name="Criterion">How "beats the rule score" was judged.</param>
/// <param name="Events">Churned contacts the model was trained on (the "events used").</param>
/// <param name="NonEvents">Retained contacts it was trained on.</param>
/// <param name="HoldoutEvents">Churned contacts in the holdout.</param>
/// <param name="HoldoutNonEvents">Retained contacts in the holdout.</param>
/// <param name="ModelAuc">Fitted model's holdout AUC; null when no model was fitted or the holdout lacks a class.</param>
/// <param name="RuleAuc">Rule score's holdout AUC; null when the holdout lacks a class.</param>
/// <param name="ModelVersusRules">DeLong paired comparison, model − rules; null unless both AUCs exist.</param>
/// <param name="Calibration">Fitted model's calibration by holdout risk decile; null without a model.</param>
/// <param name="ChurnRateByCategory">Holdout churn rate per category with Wilson intervals; null without a holdout.</param>
/// <param name="Coefficients">The fitted model's coefficients, biggest risk-raiser first; empty without a model.</param>
/// <param name="Model">The fitted model (whether or not it is in use), for rescoring when <see cref="Status"/> is fitted.</param>
public sealed record ModelCard(
    ChurnModelStatus Status,
    ModelDecision Decision,
    ModelSelectionCriterion Criterion,
    int Events,
    int NonEvents,
    int HoldoutEvents,
    int HoldoutNonEvents,
    AucEstimate? ModelAuc,
    AucEstimate? RuleAuc,
    AucComparison? ModelVersusRules,
    CalibrationTable? Calibration,
    ChurnByCategory? ChurnRateByCategory,
    IReadOnlyList<RiskFactor> Coefficients,
    LogisticModel? Model)
{
    /// <summary>Holdout AUC of the scorer in use (the model when fitted, otherwise the rules).</summary>
    public AucEstimate? InUseAuc => Status == ChurnModelStatus.Fitted ? ModelAuc : RuleAuc;

    public double? Auc => InUseAuc?.Auc;

    public double? AucLow => InUseAuc?.Low;

    public double? AucHigh => InUseAuc?.High;

    /// <summary>Wire name of <see cref="Status"/>: "rules" or "fitted".</summary>
    public string StatusName => Status == ChurnModelStatus.Fitted ? "fitted" : "rules";

    /// <summary>One sentence for the model card page.</summary>
    public string Explanation => Decision switch
    {
        ModelDecision.Fitted => "The model fitted on this workspace's history ranks churners better than the rule score on later contacts, so it is in use.",
        ModelDecision.NotEnoughEvents => "Not enough churned and retained contacts yet to fit and check a model; the rule score is in use.",
        ModelDecision.DoesNotBeatChance => "The fitted model does not beat chance on later contacts; the rule score stays in use.",
        ModelDecision.DoesNotBeatRules => "The fitted model does not beat the rule score on later contacts; the rule score stays in use.",
        _ => throw new InvalidOperationException($"Unknown decision {Decision}."),
    };
}
