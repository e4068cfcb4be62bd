using Promoter.Core.Churn;
using Xunit.Abstractions;

namespace Promoter.Core.Tests.Churn;

/// <summary>Issue 16 acceptance for the fitted model, on seeded generated histories (the seed is in every message).</summary>
public class ModelSelectionScenarioTests(ITestOutputHelper output)
{
    private const int Contacts = 6000;

    [Theory]
    [InlineData(1607)]
    [InlineData(20261207)]
    [InlineData(424242)]
    public void When_churn_depends_on_the_last_score_and_the_drop_the_fitted_model_is_used(int seed)
    {
        var history = GeneratedHistory.Generate(seed, Contacts, GeneratedHistory.DependsOnScoreAndDrop);

        var card = ChurnModelSelection.FitAndSelect(history);
        Describe(seed, card);

        Assert.True(card.Status == ChurnModelStatus.Fitted, $"seed {seed}: {card.Decision}");
        Assert.True(card.ModelAuc!.Auc >= 0.75, $"seed {seed}: model AUC {card.ModelAuc.Auc}");
        Assert.True(card.ModelAuc.Auc > card.RuleAuc!.Auc, $"seed {seed}: model {card.ModelAuc.Auc} vs rules {card.RuleAuc.Auc}");
        Assert.True(card.ModelVersusRules!.FirstIsBetter, $"seed {seed}: difference interval [{card.ModelVersusRules.Low}, {card.ModelVersusRules.High}]");
        Assert.True(card.Calibration!.WithinSamplingError, $"seed {seed}: {card.Calibration.GroupsOutside} deciles outside");
        Assert.True(card.ChurnRateByCategory!.Ordering == ChurnOrdering.Separated, $"seed {seed}: {card.ChurnRateByCategory.Ordering}");
        Assert.True(card.Model!.Converged, $"seed {seed}");
        Assert.Equal(card.ModelAuc, card.InUseAuc);
        Assert.Equal("fitted", card.StatusName);

        // Rescoring uses the model; the reasons still come from the rule table.
        var dropping = history.First(h => h.Signals.Change <= -4 && h.Signals.OverdueCases == 0);
        var risk = ChurnModelSelection.Assess(card, dropping.Signals, dropping.AsOf);
        Assert.Equal(ChurnModelStatus.Fitted, risk.Source);
        Assert.Equal(ChurnFeatures.Score(card.Model, dropping.Signals, dropping.AsOf), risk.Score);
        Assert.Equal(risk.Score, ChurnModelSelection.Score(card, dropping.Signals, dropping.AsOf));
        Assert.Contains(risk.Reasons, r => r.Code == RiskReasonCode.Dropped);

        // "What raises risk": the drop raises it and a higher last score lowers it.
        var drop = card.Coefficients.Single(f => f.Feature == "drop");
        var last = card.Coefficients.Single(f => f.Feature == "last_score");
        Assert.True(drop.RaisesRisk, $"seed {seed}: drop {drop.StandardisedCoefficient}");
        Assert.False(last.RaisesRisk, $"seed {seed}: last score {last.StandardisedCoefficient}");
        Assert.True(card.Coefficients.Zip(card.Coefficients.Skip(1)).All(p => p.First.StandardisedCoefficient >= p.Second.StandardisedCoefficient));
    }

    [Theory]
    [InlineData(1607)]
    [InlineData(20261207)]
    [InlineData(424242)]
    public void When_churn_is_random_the_card_says_the_model_does_not_beat_chance_and_the_rules_stay(int seed)
    {
        var history = GeneratedHistory.Generate(seed, Contacts, GeneratedHistory.Random25);

        var card = ChurnModelSelection.FitAndSelect(history);
        Describe(seed, card);

        Assert.True(card.Status == ChurnModelStatus.Rules, $"seed {seed}: {card.Decision}");
        Assert.True(card.Decision == ModelDecision.DoesNotBeatChance, $"seed {seed}: {card.Decision}, model AUC [{card.ModelAuc?.Low}, {card.ModelAuc?.High}]");
        Assert.Equal(card.RuleAuc, card.InUseAuc);
        Assert.Contains("does not beat chance", card.Explanation);
        var first = history[0];
        Assert.Equal(ChurnRuleScore.Compute(first.Signals, first.AsOf), ChurnModelSelection.Score(card, first.Signals, first.AsOf));
        Assert.Equal(ChurnModelStatus.Rules, ChurnModelSelection.Assess(card, first.Signals, first.AsOf).Source);
    }

    [Fact]
    public void With_fewer_than_30_churned_contacts_no_model_is_fitted()
    {
        const int seed = 77;
        var history = GeneratedHistory.Generate(seed, 120, (s, r) => r.NextDouble() < 0.15);

        var card = ChurnModelSelection.FitAndSelect(history);

        Assert.True(card.Status == ChurnModelStatus.Rules, $"seed {seed}");
        Assert.Equal(ModelDecision.NotEnoughEvents, card.Decision);
        Assert.Null(card.Model);
        Assert.Empty(card.Coefficients);
        Assert.NotNull(card.ChurnRateByCategory);
    }

    [Fact]
    public void The_stricter_criterion_needs_the_paired_difference_to_exclude_zero()
    {
        // Two scorers that are the same ranking: the model "beats" the rules by no margin at all.
        double[] scores = [.. Enumerable.Range(0, 200).Select(i => i / 200.0)];
        bool[] outcomes = [.. Enumerable.Range(0, 200).Select(i => (i * 7919 % 200) < i)];
        var categories = Enumerable.Repeat(ResponseCategory.Passive, 200).ToArray();
        var model = LogisticRegression.Fit(FeatureMatrix.FromRows(["s"], [.. scores.Select(s => new[] { s })]), outcomes);

        var lenient = ChurnModelSelection.Select(model, scores, [.. scores.Select(s => s * 100)], outcomes, categories,
            new ModelSelectionOptions { MinimumEvents = 1, MinimumNonEvents = 1 });
        var strict = ChurnModelSelection.Select(model, scores, [.. scores.Select(s => s * 100)], outcomes, categories,
            new ModelSelectionOptions { MinimumEvents = 1, MinimumNonEvents = 1, Criterion = ModelSelectionCriterion.SignificantlyHigherAuc });

        Assert.Equal(ModelDecision.DoesNotBeatRules, lenient.Decision);
        Assert.Equal(ModelDecision.DoesNotBeatRules, strict.Decision);
        Assert.Equal(0.0, strict.ModelVersusRules!.Difference);
    }

    private void Describe(int seed, ModelCard card)
    {
        output.WriteLine($"seed {seed}: {card.StatusName} ({card.Decision}); events {card.Events}/{card.NonEvents}, holdout {card.HoldoutEvents}/{card.HoldoutNonEvents}");
        output.WriteLine($"model AUC {card.ModelAuc?.Auc:0.000} [{card.ModelAuc?.Low:0.000}, {card.ModelAuc?.High:0.000}], rules {card.RuleAuc?.Auc:0.000}; diff {card.ModelVersusRules?.Difference:0.000} ± {card.ModelVersusRules?.StandardError:0.000}");
        if (card.Calibration is { } calibration)
        {
            foreach (var g in calibration.Groups)
            {
                output.WriteLine($"  decile {g.Group}: n {g.Count}, predicted {g.MeanPredicted:0.000}, observed {g.Observed.Rate:0.000} [{g.Observed.Low:0.000}, {g.Observed.High:0.000}] {(g.WithinSamplingError ? "" : "OUTSIDE")}");
            }
        }

        foreach (var rate in card.ChurnRateByCategory?.Rates ?? [])
        {
            output.WriteLine($"  {rate.Category}: {rate.Churn.Successes}/{rate.Churn.Trials} = {rate.Churn.Rate:0.000} [{rate.Churn.Low:0.000}, {rate.Churn.High:0.000}]");
        }

        foreach (var f in card.Coefficients.Take(5))
        {
            output.WriteLine($"  {f.Feature}: {f.StandardisedCoefficient:0.000} per sd (OR {f.OddsRatioPerSd:0.00})");
        }
    }
}
