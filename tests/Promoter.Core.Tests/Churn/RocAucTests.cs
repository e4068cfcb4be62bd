using Promoter.Core.Churn;

namespace Promoter.Core.Tests.Churn;

public class RocAucTests
{
    [Fact]
    public void Hand_computed_example_with_a_tie()
    {
        // Events 0.9, 0.6, 0.4; non-events 0.6, 0.3. ψ: 0.9 beats both (1, 1); 0.6 ties 0.6 and beats 0.3 (½, 1);
        // 0.4 loses to 0.6 and beats 0.3 (0, 1). AUC = (2 + 1.5 + 1) / 6 = 0.75.
        // V10 = (1, 0.75, 0.5): mean 0.75, S10 = (0.0625 + 0 + 0.0625) / 2 = 0.0625.
        // V01 for 0.6: (0 + ½ + 0... events above or tied: 0.9 → 1, 0.6 → ½, 0.4 → 0) / 3 = 0.5; for 0.3: 3/3 = 1.
        // S01 = ((0.5 − 0.75)² + (1 − 0.75)²) / 1 = 0.125. Var = 0.0625/3 + 0.125/2 = 0.083333.
        var auc = RocAuc.Estimate([0.9, 0.6, 0.4, 0.6, 0.3], [true, true, true, false, false]);

        Assert.Equal(0.75, auc.Auc, 1e-15);
        Assert.Equal(Math.Sqrt((0.0625 / 3) + (0.125 / 2)), auc.StandardError, 1e-15);
        Assert.Equal(3, auc.Events);
        Assert.Equal(2, auc.NonEvents);
        Assert.Equal(0.75 - (1.959963984540054 * auc.StandardError), auc.Low, 1e-12);
        Assert.Equal(1.0, auc.High);
    }

    [Fact]
    public void A_constant_score_has_auc_one_half()
    {
        var auc = RocAuc.Estimate([1, 1, 1, 1], [true, false, true, false]);

        Assert.Equal(0.5, auc.Auc);
        Assert.Equal(0.0, auc.StandardError);
        Assert.False(auc.BeatsChance);
    }

    [Fact]
    public void Perfect_ranking_has_auc_one_and_reversed_zero()
    {
        Assert.Equal(1.0, RocAuc.Estimate([5, 4, 1, 0], [true, true, false, false]).Auc);
        Assert.Equal(0.0, RocAuc.Estimate([0, 1, 4, 5], [true, true, false, false]).Auc);
    }

    [Fact]
    public void A_single_event_gives_a_nan_error_and_the_full_interval()
    {
        var auc = RocAuc.Estimate([3, 1, 2], [true, false, false]);

        Assert.Equal(1.0, auc.Auc);
        Assert.True(double.IsNaN(auc.StandardError));
        Assert.Equal((0.0, 1.0), (auc.Low, auc.High));
    }

    [Fact]
    public void Comparing_a_score_with_itself_gives_zero_difference()
    {
        double[] s = [0.1, 0.4, 0.35, 0.8, 0.7, 0.2];
        bool[] y = [false, false, true, true, true, false];

        var c = RocAuc.Compare(s, s, y);

        Assert.Equal(0.0, c.Difference);
        Assert.Equal(0.0, c.StandardError);
        Assert.False(c.FirstIsBetter);
    }

    [Fact]
    public void Only_one_class_or_nan_is_refused()
    {
        Assert.Equal("outcomes", Assert.Throws<ArgumentOutOfRangeException>(() => RocAuc.Estimate([1, 2], [true, true])).ParamName);
        Assert.Equal("scores", Assert.Throws<ArgumentOutOfRangeException>(() => RocAuc.Estimate([1, double.NaN], [true, false])).ParamName);
    }
}
