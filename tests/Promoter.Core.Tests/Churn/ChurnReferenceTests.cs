using Promoter.Core.Churn;
using Promoter.Core.Tests.Support;

namespace Promoter.Core.Tests.Churn;

/// <summary>
/// Cross-checks against tests/reference/logistic_reference.py: a plain-Python Newton solver (Gauss–Jordan steps,
/// converged to 1e-13), DeLong by the O(m·n) double sum, and the textbook Wilson formula.
/// </summary>
public class ChurnReferenceTests
{
    private static readonly string[] Names = ["x1", "x2", "x3"];

    private static (FeatureMatrix X, bool[] Y, double[] S) Dataset(string name)
    {
        var rows = ReferenceCsv.Read("churn_data.csv").Where(r => r["dataset"] == name).ToList();
        var x = FeatureMatrix.FromRows(Names, [.. rows.Select(r => new[] { ReferenceCsv.Number(r["x1"]), ReferenceCsv.Number(r["x2"]), ReferenceCsv.Number(r["x3"]) })]);
        return (x, [.. rows.Select(r => r["y"] == "1")], [.. rows.Select(r => ReferenceCsv.Number(r["s"]))]);
    }

    public static TheoryData<string, double> Fits()
    {
        var data = new TheoryData<string, double>();
        foreach (var key in ReferenceCsv.Read("logistic_reference.csv").Select(r => (r["dataset"], r["penalty"])).Distinct())
        {
            data.Add(key.Item1, ReferenceCsv.Number(key.Item2));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Fits))]
    public void Logistic_fit_matches_reference(string dataset, double penalty)
    {
        var (x, y, _) = Dataset(dataset);
        var expected = ReferenceCsv.Read("logistic_reference.csv")
            .Where(r => r["dataset"] == dataset && ReferenceCsv.Number(r["penalty"]) == penalty).ToList();

        var model = LogisticRegression.Fit(x, y, new LogisticOptions { Penalty = penalty });

        Assert.True(model.Converged);
        Assert.InRange(model.Iterations, 1, 30);
        Assert.Equal(ReferenceCsv.Number(expected[0]["loglik"]), model.LogLikelihood, 1e-8);
        Assert.Equal(ReferenceCsv.Number(expected[0]["penalised_loglik"]), model.PenalisedLogLikelihood, 1e-8);
        foreach (var row in expected)
        {
            var (coef, se, stdCoef, stdSe) = row["term"] == "intercept"
                ? (model.Intercept, model.InterceptStandardError, model.StandardisedIntercept, model.StandardisedInterceptStandardError)
                : Term(model, Array.IndexOf(Names, row["term"]));
            Assert.Equal(ReferenceCsv.Number(row["coef"]), coef, 1e-7);
            Assert.Equal(ReferenceCsv.Number(row["se"]), se, 1e-7);
            Assert.Equal(ReferenceCsv.Number(row["std_coef"]), stdCoef, 1e-7);
            Assert.Equal(ReferenceCsv.Number(row["std_se"]), stdSe, 1e-7);
        }
    }

    private static (double, double, double, double) Term(LogisticModel model, int j) =>
        (model.Coefficients[j], model.StandardErrors[j], model.StandardisedCoefficients[j], model.StandardisedStandardErrors[j]);

    public static TheoryData<string> AucDatasets() => ["mixed", "separable", "rare"];

    [Theory]
    [MemberData(nameof(AucDatasets))]
    public void DeLong_auc_and_paired_difference_match_reference(string dataset)
    {
        var (x, y, s) = Dataset(dataset);
        var x1 = Enumerable.Range(0, x.Rows).Select(i => x[i, 0]).ToArray();
        var expected = ReferenceCsv.Read("auc_reference.csv").Single(r => r["dataset"] == dataset);

        var auc = RocAuc.Estimate(x1, y);
        var comparison = RocAuc.Compare(x1, s, y);

        Assert.Equal(ReferenceCsv.Number(expected["auc_x1"]), auc.Auc, 1e-12);
        Assert.Equal(ReferenceCsv.Number(expected["se_x1"]), auc.StandardError, 1e-12);
        Assert.Equal(ReferenceCsv.Number(expected["low_x1"]), auc.Low, 1e-9);
        Assert.Equal(ReferenceCsv.Number(expected["high_x1"]), auc.High, 1e-9);
        Assert.Equal(ReferenceCsv.Number(expected["auc_s"]), comparison.Second.Auc, 1e-12);
        Assert.Equal(ReferenceCsv.Number(expected["se_s"]), comparison.Second.StandardError, 1e-12);
        Assert.Equal(ReferenceCsv.Number(expected["diff"]), comparison.Difference, 1e-12);
        Assert.Equal(ReferenceCsv.Number(expected["diff_se"]), comparison.StandardError, 1e-12);
    }

    public static TheoryData<long, long, double, double, double> WilsonRows()
    {
        var data = new TheoryData<long, long, double, double, double>();
        foreach (var r in ReferenceCsv.Read("wilson_reference.csv"))
        {
            data.Add(ReferenceCsv.Count(r["successes"]), ReferenceCsv.Count(r["trials"]), ReferenceCsv.Number(r["level"]),
                ReferenceCsv.Number(r["low"]), ReferenceCsv.Number(r["high"]));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(WilsonRows))]
    public void Wilson_interval_matches_reference(long successes, long trials, double level, double low, double high)
    {
        var p = Proportion.Wilson(successes, trials, level);

        Assert.Equal(low, p.Low, 1e-12);
        Assert.Equal(high, p.High, 1e-12);
    }
}
