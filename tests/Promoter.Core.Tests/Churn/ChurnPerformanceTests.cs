using System.Diagnostics;
using Promoter.Core.Churn;
using Xunit.Abstractions;

namespace Promoter.Core.Tests.Churn;

/// <summary>
/// Cost checks with generous bounds (the machine is shared); the measured times are printed. The real budget is issue 16
/// §5: 1,000,000 contacts rescored in well under 60 s on 2 cores, and fitting ~100,000 × 15 in a few seconds.
/// </summary>
public class ChurnPerformanceTests(ITestOutputHelper output)
{
    private static readonly DateTime AsOf = new(2026, 11, 5, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Scoring_a_million_contacts_allocates_nothing_and_is_fast()
    {
        var random = new Random(31);
        var signals = Enumerable.Range(0, 1000).Select(_ => ChurnSignals.From(GeneratedHistory.Contact(random, AsOf), AsOf)).ToArray();
        var model = FittedModel();
        var checksum = Score(signals, model, 1000); // warm-up (tiered JIT)

        // Stopwatch.GetTimestamp, not a Stopwatch instance: the instance itself would be the only allocation.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var start = Stopwatch.GetTimestamp();
        checksum += Score(signals, model, 1_000_000);
        var elapsed = Stopwatch.GetElapsedTime(start);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine($"1,000,000 contacts, rule score + fitted model: {elapsed.TotalMilliseconds:0} ms, {allocated} bytes allocated (checksum {checksum})");
        Assert.Equal(0, allocated);
        Assert.True(elapsed < TimeSpan.FromSeconds(20), $"{elapsed}");
    }

    [Fact]
    public void Building_signals_from_histories_is_cheap()
    {
        var random = new Random(32);
        var histories = Enumerable.Range(0, 1000).Select(_ => GeneratedHistory.Contact(random, AsOf)).ToArray();
        var count = 0;

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < 200_000; i++)
        {
            count += ChurnSignals.From(histories[i % histories.Length], AsOf).OpenCases;
        }

        watch.Stop();
        output.WriteLine($"200,000 ChurnSignals.From: {watch.Elapsed.TotalMilliseconds:0} ms ({count})");
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"{watch.Elapsed}");
    }

    [Fact]
    public void Fitting_100000_rows_by_15_features_takes_seconds()
    {
        const int rows = 100_000;
        const int columns = 15;
        var random = new Random(33);
        var names = Enumerable.Range(0, columns).Select(j => $"x{j}").ToArray();
        var x = new FeatureMatrix(names, rows);
        var y = new bool[rows];
        for (var i = 0; i < rows; i++)
        {
            var row = x.Row(i);
            var eta = -1.0;
            for (var j = 0; j < columns; j++)
            {
                row[j] = j % 3 == 0 ? random.Next(0, 11) : (random.NextDouble() * 2) - 1;
                eta += (j % 2 == 0 ? 0.1 : -0.2) * row[j];
            }

            y[i] = random.NextDouble() < 1 / (1 + Math.Exp(-eta));
        }

        var watch = Stopwatch.StartNew();
        var model = LogisticRegression.Fit(x, y);
        watch.Stop();

        output.WriteLine($"fit {rows} × {columns}: {watch.Elapsed.TotalMilliseconds:0} ms, {model.Iterations} iterations");
        Assert.True(model.Converged);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"{watch.Elapsed}");
    }

    private static LogisticModel FittedModel()
    {
        var history = GeneratedHistory.Generate(5, 2000, GeneratedHistory.DependsOnScoreAndDrop);
        var x = ChurnFeatures.Matrix([.. history.Select(h => h.Signals)], [.. history.Select(h => h.AsOf)]);
        return LogisticRegression.Fit(x, [.. history.Select(h => h.Churned)]);
    }

    private static long Score(ChurnSignals[] signals, LogisticModel model, int contacts)
    {
        long sum = 0;
        for (var i = 0; i < contacts; i++)
        {
            var s = signals[i % signals.Length];
            sum += ChurnRuleScore.Compute(s, AsOf) + ChurnFeatures.Score(model, s, AsOf);
        }

        return sum;
    }
}
