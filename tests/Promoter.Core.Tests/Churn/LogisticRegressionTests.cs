using Promoter.Core.Churn;

namespace Promoter.Core.Tests.Churn;

public class LogisticRegressionTests
{
    [Fact]
    public void Perfectly_separable_data_gives_finite_coefficients_with_a_penalty()
    {
        // y = 1 exactly when x > 0: the unpenalised MLE is at infinity.
        double[] xs = [-3, -2, -1.5, -1, -0.5, 0.5, 1, 1.5, 2, 3];
        var x = FeatureMatrix.FromRows(["x"], [.. xs.Select(v => new[] { v })]);
        bool[] y = [.. xs.Select(v => v > 0)];

        var model = LogisticRegression.Fit(x, y, new LogisticOptions { Penalty = 1.0 });

        Assert.True(model.Converged);
        Assert.True(double.IsFinite(model.Coefficients[0]));
        Assert.InRange(model.Coefficients[0], 0.5, 20);
        Assert.True(double.IsFinite(model.StandardErrors[0]));
        Assert.True(model.Predict([2.0]) > 0.75);
        Assert.True(model.Predict([-2.0]) < 0.25);

        // A weaker penalty lets the slope grow, but it stays finite and the fit still converges.
        var weaker = LogisticRegression.Fit(x, y, new LogisticOptions { Penalty = 0.01 });
        Assert.True(weaker.Converged);
        Assert.True(weaker.Coefficients[0] > model.Coefficients[0]);
        Assert.True(double.IsFinite(weaker.Coefficients[0]));
    }

    [Fact]
    public void Perfectly_separable_data_without_a_penalty_stops_at_the_cap_and_says_so()
    {
        double[] xs = [-3, -2, -1, 1, 2, 3];
        var x = FeatureMatrix.FromRows(["x"], [.. xs.Select(v => new[] { v })]);
        bool[] y = [.. xs.Select(v => v > 0)];

        var model = LogisticRegression.Fit(x, y, new LogisticOptions { Penalty = 0, MaxIterations = 25 });

        Assert.False(model.Converged);
        Assert.True(double.IsNaN(model.StandardErrors[0]));
        Assert.True(model.Coefficients[0] > 5);
    }

    [Fact]
    public void Larger_penalty_shrinks_standardised_coefficients_toward_zero()
    {
        var rnd = new Random(11);
        var rows = Enumerable.Range(0, 400).Select(_ => new[] { rnd.NextDouble() * 10, rnd.NextDouble() }).ToArray();
        bool[] y = [.. rows.Select(r => rnd.NextDouble() < 1 / (1 + Math.Exp(3 - (0.6 * r[0]))))];
        var x = FeatureMatrix.FromRows(["a", "b"], rows);

        var weak = LogisticRegression.Fit(x, y, new LogisticOptions { Penalty = 0.1 });
        var strong = LogisticRegression.Fit(x, y, new LogisticOptions { Penalty = 200 });

        Assert.True(Math.Abs(strong.StandardisedCoefficients[0]) < Math.Abs(weak.StandardisedCoefficients[0]));
        Assert.True(strong.LogLikelihood < weak.LogLikelihood);
    }

    [Fact]
    public void Both_scales_describe_the_same_model()
    {
        var rnd = new Random(5);
        var rows = Enumerable.Range(0, 300).Select(_ => new[] { 100 + (rnd.NextDouble() * 50), rnd.Next(0, 11) * 1.0 }).ToArray();
        bool[] y = [.. rows.Select(r => rnd.NextDouble() < 1 / (1 + Math.Exp(-(0.05 * (r[0] - 125)) + (0.3 * (r[1] - 5)))))];
        var model = LogisticRegression.Fit(FeatureMatrix.FromRows(["a", "b"], rows), y);

        foreach (var r in rows.Take(20))
        {
            var standardised = model.StandardisedIntercept
                + (model.StandardisedCoefficients[0] * (r[0] - model.Means[0]) / model.Scales[0])
                + (model.StandardisedCoefficients[1] * (r[1] - model.Means[1]) / model.Scales[1]);
            Assert.Equal(standardised, model.LinearPredictor(r), 1e-10);
        }
    }

    [Fact]
    public void A_constant_feature_is_left_out_with_a_zero_coefficient()
    {
        var rows = Enumerable.Range(0, 50).Select(i => new[] { i % 7 * 1.0, 3.0 }).ToArray();
        bool[] y = [.. Enumerable.Range(0, 50).Select(i => i % 3 == 0)];

        var model = LogisticRegression.Fit(FeatureMatrix.FromRows(["a", "constant"], rows), y, new LogisticOptions { Penalty = 0 });

        Assert.True(model.Converged);
        Assert.Equal(0.0, model.Coefficients[1]);
        Assert.True(double.IsNaN(model.StandardErrors[1]));
        Assert.True(double.IsFinite(model.StandardErrors[0]));
    }

    [Fact]
    public void One_class_only_is_refused()
    {
        var x = FeatureMatrix.FromRows(["a"], [[1.0], [2.0]]);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => LogisticRegression.Fit(x, [false, false]));
        Assert.Equal("outcomes", ex.ParamName);
    }

    [Fact]
    public void Non_finite_features_and_bad_options_are_refused()
    {
        var x = FeatureMatrix.FromRows(["a"], [[1.0], [double.NaN]]);

        Assert.Equal("features", Assert.Throws<ArgumentOutOfRangeException>(() => LogisticRegression.Fit(x, [true, false])).ParamName);
        Assert.Equal("Penalty", Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticOptions { Penalty = -1 }).ParamName);
        Assert.Equal("MaxIterations", Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticOptions { MaxIterations = 0 }).ParamName);
        Assert.Equal("Tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => new LogisticOptions { Tolerance = 0 }).ParamName);
    }
}
