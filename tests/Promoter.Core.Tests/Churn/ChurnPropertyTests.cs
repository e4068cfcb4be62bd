using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Promoter.Core.Churn;

namespace Promoter.Core.Tests.Churn;

public class ChurnPropertyTests
{
    private static readonly DateTime AsOf = new(2026, 11, 5, 0, 0, 0, DateTimeKind.Utc);

    [Property(MaxTest = 300)]
    public bool Score_alone_equals_the_assessment_and_reasons_add_up(int seed)
    {
        var random = new Random(seed);
        var signals = ChurnSignals.From(GeneratedHistory.Contact(random, AsOf), AsOf) with
        {
            AccountNps = random.NextDouble() < 0.5 ? null : random.Next(-100, 101),
        };

        var risk = ChurnRuleScore.Assess(signals, AsOf);

        return risk.Score == ChurnRuleScore.Compute(signals, AsOf)
            && risk.Score == Math.Min(100, risk.Reasons.Sum(r => r.Points))
            && risk.Reasons.Zip(risk.Reasons.Skip(1)).All(p => p.First.Points >= p.Second.Points)
            && risk.Reasons.Select(r => r.Code).Distinct().Count() == risk.Reasons.Count
            && risk.Reasons.All(r => r.Describe(AsOf).Length > 0);
    }

    [Property(MaxTest = 200)]
    public Property Auc_equals_the_pairwise_definition_and_flips_with_the_score()
    {
        var gen =
            from n in Gen.Choose(2, 40)
            from scores in Gen.ArrayOf(Gen.Choose(0, 5), n)
            from outcomes in Gen.ArrayOf(ArbMap.Default.GeneratorFor<bool>(), n)
            select (scores, outcomes);

        return Prop.ForAll(gen.ToArbitrary(), t =>
        {
            var (raw, y) = t;
            var m = y.Count(o => o);
            if (m == 0 || m == y.Length)
            {
                return true;
            }

            double[] s = [.. raw.Select(v => (double)v)];
            var pairs = 0.0;
            for (var i = 0; i < s.Length; i++)
            {
                for (var j = 0; j < s.Length; j++)
                {
                    if (y[i] && !y[j])
                    {
                        pairs += s[i] > s[j] ? 1 : s[i] == s[j] ? 0.5 : 0;
                    }
                }
            }

            var auc = RocAuc.Estimate(s, y).Auc;
            var flipped = RocAuc.Estimate([.. s.Select(v => -v)], y).Auc;
            return Math.Abs(auc - (pairs / (m * (y.Length - m)))) < 1e-12 && Math.Abs(auc + flipped - 1) < 1e-12;
        });
    }

    [Property(MaxTest = 200)]
    public bool Wilson_interval_contains_the_rate_and_stays_in_zero_one(NonNegativeInt successes, PositiveInt extra)
    {
        var x = successes.Get % 1000;
        var n = x + (extra.Get % 1000);
        if (n == 0)
        {
            return true;
        }

        var p = Proportion.Wilson(x, n);
        return p.Low >= 0 && p.High <= 1 && p.Low <= p.Rate && p.Rate <= p.High;
    }
}
