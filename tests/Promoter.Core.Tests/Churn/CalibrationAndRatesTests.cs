using Promoter.Core.Churn;

namespace Promoter.Core.Tests.Churn;

public class CalibrationAndRatesTests
{
    [Fact]
    public void Deciles_split_sorted_predictions_into_equal_groups()
    {
        // 25 contacts: group sizes 2,3,2,3,2,3,2,3,2,3 from the floor(g·N/10) cuts.
        double[] p = [.. Enumerable.Range(0, 25).Select(i => i / 25.0).Reverse()];
        bool[] y = [.. Enumerable.Range(0, 25).Select(i => i % 2 == 0)];

        var table = Calibration.ByRiskGroup(p, y);

        Assert.Equal(10, table.Groups.Count);
        Assert.Equal(25, table.Groups.Sum(g => g.Count));
        Assert.Equal([2, 3, 2, 3, 2, 3, 2, 3, 2, 3], table.Groups.Select(g => g.Count));
        Assert.Equal(0.0, table.Groups[0].MinPredicted);
        Assert.Equal(24 / 25.0, table.Groups[9].MaxPredicted);
        Assert.Equal(0.995, table.GroupLevel, 1e-12);
        Assert.True(table.Groups.Zip(table.Groups.Skip(1)).All(pair => pair.First.MeanPredicted < pair.Second.MeanPredicted));
    }

    [Fact]
    public void A_miscalibrated_group_is_flagged()
    {
        // 1,000 contacts predicted 0.9 of whom only 10% churn.
        double[] p = [.. Enumerable.Repeat(0.9, 1000)];
        bool[] y = [.. Enumerable.Range(0, 1000).Select(i => i % 10 == 0)];

        var table = Calibration.ByRiskGroup(p, y, groups: 1);

        Assert.False(table.WithinSamplingError);
        Assert.Equal(1, table.GroupsOutside);
        Assert.Equal(0.1, table.Groups[0].Observed.Rate, 1e-12);
    }

    [Fact]
    public void A_prediction_outside_zero_one_is_refused()
    {
        Assert.Equal("predicted", Assert.Throws<ArgumentOutOfRangeException>(() => Calibration.ByRiskGroup([1.5], [true])).ParamName);
    }

    [Fact]
    public void Churn_by_category_reports_all_four_states_and_ordering()
    {
        var categories = new List<ResponseCategory>();
        var churned = new List<bool>();
        void Add(ResponseCategory c, int n, int events)
        {
            for (var i = 0; i < n; i++)
            {
                categories.Add(c);
                churned.Add(i < events);
            }
        }

        Add(ResponseCategory.Detractor, 200, 80);
        Add(ResponseCategory.Passive, 200, 30);
        Add(ResponseCategory.Promoter, 200, 6);
        Add(ResponseCategory.NonRespondent, 50, 25);

        var rates = ChurnByCategory.Compute([.. categories], [.. churned]);

        Assert.Equal(0.4, rates[ResponseCategory.Detractor].Churn.Rate, 1e-12);
        Assert.Equal(0.5, rates[ResponseCategory.NonRespondent].Churn.Rate, 1e-12);
        Assert.Equal(ChurnOrdering.Separated, rates.Ordering);
    }

    [Fact]
    public void Overlapping_intervals_are_ordered_only_by_point_estimate()
    {
        ResponseCategory[] c = [ResponseCategory.Detractor, ResponseCategory.Detractor, ResponseCategory.Passive, ResponseCategory.Passive, ResponseCategory.Promoter, ResponseCategory.Promoter];
        Assert.Equal(ChurnOrdering.OrderedByPointEstimate, ChurnByCategory.Compute(c, [true, true, true, false, false, false]).Ordering);
        Assert.Equal(ChurnOrdering.NotOrdered, ChurnByCategory.Compute(c, [false, false, true, false, true, true]).Ordering);
        Assert.Equal(ChurnOrdering.InsufficientData, ChurnByCategory.Compute(c.AsSpan(0, 4), [true, true, false, false]).Ordering);
    }
}
