namespace Promoter.Core.Churn;

/// <summary>A contact at a scoring date with its outcome: churned within the horizon after <see cref="AsOf"/> or not.</summary>
public sealed record LabelledContact(ChurnSignals Signals, DateTime AsOf, bool Churned);

/// <summary>Settings of <see cref="ChurnModelSelection"/>.</summary>
public sealed record ModelSelectionOptions
{
    public static ModelSelectionOptions Default { get; } = new();

    /// <summary>Churned contacts needed in training before a model is fitted (issue 16: at least 30).</summary>
    public int MinimumEvents { get; init; } = 30;

    /// <summary>Retained contacts needed in training (issue 16: at least 30).</summary>
    public int MinimumNonEvents { get; init; } = 30;

    /// <summary>Churned and retained contacts each needed in the holdout to judge the model at all.</summary>
    public int MinimumHoldoutEach { get; init; } = 10;

    /// <summary>Confidence level of the AUC intervals, the calibration table and the category rates.</summary>
    public double Level { get; init; } = 0.95;

    public ModelSelectionCriterion Criterion { get; init; } = ModelSelectionCriterion.HigherAuc;

    /// <summary>Share of rows, by time, used for training; the rest (the later part) is the holdout.</summary>
    public double TrainFraction { get; init; } = 0.7;

    /// <summary>Training rows within this span before the holdout are dropped (set to the churn horizon).</summary>
    public TimeSpan Purge { get; init; }

    public LogisticOptions Logistic { get; init; } = LogisticOptions.Default;

    public ChurnRulePoints RulePoints { get; init; } = ChurnRulePoints.Default;
}

/// <summary>Decides between the fitted model and the rule score on a later-period holdout, and writes the model card.</summary>
public static class ChurnModelSelection
{
    /// <summary>
    /// The decision, in order:
    /// <list type="number">
    /// <item>No model, fewer than <see cref="ModelSelectionOptions.MinimumEvents"/> churned or
    /// <see cref="ModelSelectionOptions.MinimumNonEvents"/> retained training contacts, or fewer than
    /// <see cref="ModelSelectionOptions.MinimumHoldoutEach"/> of either in the holdout → rules (<see cref="ModelDecision.NotEnoughEvents"/>).</item>
    /// <item>The model's DeLong AUC interval includes ½ (lower limit ≤ 0.5) → rules (<see cref="ModelDecision.DoesNotBeatChance"/>).</item>
    /// <item><see cref="ModelSelectionCriterion.HigherAuc"/>: model AUC ≤ rule AUC, or
    /// <see cref="ModelSelectionCriterion.SignificantlyHigherAuc"/>: the paired DeLong interval of the difference reaches 0
    /// → rules (<see cref="ModelDecision.DoesNotBeatRules"/>).</item>
    /// <item>Otherwise → fitted.</item>
    /// </list>
    /// Both scorers are judged on the same holdout contacts; the rule score is used as a ranking (AUC only), as it is
    /// not a probability.
    /// </summary>
    /// <param name="model">The model fitted on the earlier period, or null when none could be fitted.</param>
    /// <param name="modelPredictions">The model's holdout probabilities (ignored when <paramref name="model"/> is null).</param>
    /// <param name="ruleScores">The rule score (0–100) of the same holdout contacts.</param>
    /// <param name="outcomes">Churned or not, per holdout contact.</param>
    /// <param name="categories">Category per holdout contact at its scoring date.</param>
    /// <param name="options">Thresholds and criterion; <see cref="ModelSelectionOptions.Default"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">The holdout spans differ in length.</exception>
    public static ModelCard Select(
        LogisticModel? model,
        ReadOnlySpan<double> modelPredictions,
        ReadOnlySpan<double> ruleScores,
        ReadOnlySpan<bool> outcomes,
        ReadOnlySpan<ResponseCategory> categories,
        ModelSelectionOptions? options = null)
    {
        options ??= ModelSelectionOptions.Default;
        var n = outcomes.Length;
        if (ruleScores.Length != n)
        {
            throw new ArgumentOutOfRangeException(nameof(ruleScores), ruleScores.Length, $"Expected one rule score per holdout contact ({n}).");
        }

        if (categories.Length != n)
        {
            throw new ArgumentOutOfRangeException(nameof(categories), categories.Length, $"Expected one category per holdout contact ({n}).");
        }

        if (model is not null && modelPredictions.Length != n)
        {
            throw new ArgumentOutOfRangeException(nameof(modelPredictions), modelPredictions.Length, $"Expected one prediction per holdout contact ({n}).");
        }

        var holdoutEvents = 0;
        foreach (var o in outcomes)
        {
            holdoutEvents += o ? 1 : 0;
        }

        var holdoutNonEvents = n - holdoutEvents;
        var bothClasses = holdoutEvents > 0 && holdoutNonEvents > 0;
        var byCategory = n > 0 ? ChurnByCategory.Compute(categories, outcomes, options.Level) : null;
        var ruleAuc = bothClasses ? RocAuc.Estimate(ruleScores, outcomes, options.Level) : null;

        var trainEvents = model?.Events ?? 0;
        var trainNonEvents = model is null ? 0 : model.Observations - model.Events;
        var factors = model is null ? [] : Factors(model);

        var enough = model is not null
            && trainEvents >= options.MinimumEvents
            && trainNonEvents >= options.MinimumNonEvents
            && holdoutEvents >= options.MinimumHoldoutEach
            && holdoutNonEvents >= options.MinimumHoldoutEach
            && bothClasses;
        if (!enough)
        {
            var auc = model is not null && bothClasses ? RocAuc.Estimate(modelPredictions, outcomes, options.Level) : null;
            return new ModelCard(
                ChurnModelStatus.Rules, ModelDecision.NotEnoughEvents, options.Criterion, trainEvents, trainNonEvents, holdoutEvents, holdoutNonEvents,
                auc, ruleAuc, null, null, byCategory, factors, model);
        }

        var comparison = RocAuc.Compare(modelPredictions, ruleScores, outcomes, options.Level);
        var modelAuc = comparison.First;
        var calibration = Calibration.ByRiskGroup(modelPredictions, outcomes, options.Level);
        var decision = !modelAuc.BeatsChance
            ? ModelDecision.DoesNotBeatChance
            : options.Criterion switch
            {
                ModelSelectionCriterion.HigherAuc => modelAuc.Auc > comparison.Second.Auc ? ModelDecision.Fitted : ModelDecision.DoesNotBeatRules,
                ModelSelectionCriterion.SignificantlyHigherAuc => comparison.FirstIsBetter ? ModelDecision.Fitted : ModelDecision.DoesNotBeatRules,
                _ => throw new ArgumentOutOfRangeException(nameof(options), options.Criterion, "Unknown selection criterion."),
            };

        return new ModelCard(
            decision == ModelDecision.Fitted ? ChurnModelStatus.Fitted : ChurnModelStatus.Rules,
            decision,
            options.Criterion,
            trainEvents,
            trainNonEvents,
            holdoutEvents,
            holdoutNonEvents,
            modelAuc,
            comparison.Second,
            comparison,
            calibration,
            byCategory,
            factors,
            model);
    }

    /// <summary>
    /// The whole calibration run on a workspace's labelled history: time split (<see cref="TimeSplit.ByTime"/>), fit on the
    /// earlier part when it has enough events, score the later part with both the model and the rule score, then
    /// <see cref="Select"/>.
    /// </summary>
    public static ModelCard FitAndSelect(IReadOnlyList<LabelledContact> history, ModelSelectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(history);
        options ??= ModelSelectionOptions.Default;
        var split = TimeSplit.ByTime(history, static r => r.AsOf, options.TrainFraction, options.Purge);
        var train = split.Train;
        var holdout = split.Holdout;

        var trainOutcomes = new bool[train.Count];
        var trainEvents = 0;
        for (var i = 0; i < train.Count; i++)
        {
            trainOutcomes[i] = train[i].Churned;
            trainEvents += train[i].Churned ? 1 : 0;
        }

        LogisticModel? model = null;
        if (trainEvents >= options.MinimumEvents && train.Count - trainEvents >= options.MinimumNonEvents)
        {
            var x = new FeatureMatrix(ChurnFeatures.Names, train.Count);
            for (var i = 0; i < train.Count; i++)
            {
                ChurnFeatures.Write(train[i].Signals, train[i].AsOf, x.Row(i));
            }

            model = LogisticRegression.Fit(x, trainOutcomes, options.Logistic);
        }

        var predictions = new double[holdout.Count];
        var rules = new double[holdout.Count];
        var outcomes = new bool[holdout.Count];
        var categories = new ResponseCategory[holdout.Count];
        Span<double> features = stackalloc double[ChurnFeatures.Count];
        for (var i = 0; i < holdout.Count; i++)
        {
            var row = holdout[i];
            if (model is not null)
            {
                ChurnFeatures.Write(row.Signals, row.AsOf, features);
                predictions[i] = model.Predict(features);
            }

            rules[i] = ChurnRuleScore.Compute(row.Signals, row.AsOf, options.RulePoints);
            outcomes[i] = row.Churned;
            categories[i] = row.Signals.Category;
        }

        return Select(model, predictions, rules, outcomes, categories, options);
    }

    /// <summary>
    /// A contact's risk by the scorer <paramref name="card"/> says is in use: the rule score when its status is rules, or
    /// round(100 · P(churn)) from its model when fitted. Reasons and actions always come from the rule table, which is
    /// what a person can read.
    /// </summary>
    public static RiskAssessment Assess(ModelCard card, ChurnSignals signals, DateTime asOf, ChurnPlaybook? playbook = null, ChurnRulePoints? points = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        var rules = ChurnRuleScore.Assess(signals, asOf, playbook, points);
        return card is { Status: ChurnModelStatus.Fitted, Model: { } model }
            ? rules with { Score = ChurnFeatures.Score(model, signals, asOf), Source = ChurnModelStatus.Fitted }
            : rules;
    }

    /// <summary>The score alone by the scorer in use, without allocating (see <see cref="Assess"/>).</summary>
    public static int Score(ModelCard card, ChurnSignals signals, DateTime asOf, ChurnRulePoints? points = null)
    {
        ArgumentNullException.ThrowIfNull(card);
        return card is { Status: ChurnModelStatus.Fitted, Model: { } model }
            ? ChurnFeatures.Score(model, signals, asOf)
            : ChurnRuleScore.Compute(signals, asOf, points);
    }

    private static RiskFactor[] Factors(LogisticModel model)
    {
        var factors = new RiskFactor[model.FeatureNames.Count];
        for (var j = 0; j < factors.Length; j++)
        {
            var standardised = model.StandardisedCoefficients[j];
            factors[j] = new RiskFactor(model.FeatureNames[j], model.Coefficients[j], standardised, Math.Exp(standardised), model.StandardErrors[j]);
        }

        Array.Sort(factors, static (a, b) => a.StandardisedCoefficient != b.StandardisedCoefficient
            ? b.StandardisedCoefficient.CompareTo(a.StandardisedCoefficient)
            : string.CompareOrdinal(a.Feature, b.Feature));
        return factors;
    }
}
