namespace Promoter.Core;

/// <summary>
/// How many responses gave each score 0..10. Immutable with value equality; the <c>With…</c> methods return a
/// new distribution.
/// </summary>
public sealed class ScoreDistribution : IEquatable<ScoreDistribution>
{
    private const int Length = Score.MaxValue + 1;

    private readonly long[] _counts;

    private ScoreDistribution(long[] counts, long n)
    {
        _counts = counts;
        N = n;
    }

    /// <summary>No responses.</summary>
    public static ScoreDistribution Empty { get; } = new(new long[Length], 0);

    /// <summary>Total number of responses.</summary>
    public long N { get; }

    /// <summary>Number of responses with this score.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The score is not 0..10.</exception>
    public long this[int score] => score is >= Score.MinValue and <= Score.MaxValue
        ? _counts[score]
        : throw new ArgumentOutOfRangeException(nameof(score), score, "An NPS score is an integer from 0 to 10.");

    /// <summary>Number of responses with this score.</summary>
    public long this[Score score] => _counts[score.Value];

    /// <summary>A distribution from 11 counts, index = score.</summary>
    /// <exception cref="ArgumentException">Not exactly 11 counts.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    /// <exception cref="OverflowException">The total does not fit in a <see cref="long"/>.</exception>
    public static ScoreDistribution FromCounts(ReadOnlySpan<long> counts)
    {
        if (counts.Length != Length)
        {
            throw new ArgumentException($"Expected {Length} counts (scores 0..10), got {counts.Length}.", nameof(counts));
        }

        long n = 0;
        foreach (var count in counts)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(counts));
            n = checked(n + count);
        }

        return new ScoreDistribution(counts.ToArray(), n);
    }

    /// <summary>Counts a sequence of scores.</summary>
    public static ScoreDistribution FromScores(IEnumerable<Score> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var counts = new long[Length];
        long n = 0;
        foreach (var score in scores)
        {
            counts[score.Value]++;
            n++;
        }

        return new ScoreDistribution(counts, n);
    }

    /// <summary>This distribution with <paramref name="count"/> more responses of <paramref name="score"/>.</summary>
    public ScoreDistribution WithAdded(Score score, long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var counts = ToArray();
        counts[score.Value] = checked(counts[score.Value] + count);
        return new ScoreDistribution(counts, checked(N + count));
    }

    /// <summary>This distribution with <paramref name="count"/> fewer responses of <paramref name="score"/>.</summary>
    /// <exception cref="InvalidOperationException">Fewer than <paramref name="count"/> responses have that score.</exception>
    public ScoreDistribution WithRemoved(Score score, long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_counts[score.Value] < count)
        {
            throw new InvalidOperationException($"Cannot remove {count} responses of score {score}: only {_counts[score.Value]} recorded.");
        }

        var counts = ToArray();
        counts[score.Value] -= count;
        return new ScoreDistribution(counts, N - count);
    }

    /// <summary>Detractor (0–6), passive (7–8) and promoter (9–10) totals.</summary>
    public NpsCounts ToCounts()
    {
        long detractors = 0;
        for (var score = Score.MinValue; score <= 6; score++)
        {
            detractors += _counts[score];
        }

        return new NpsCounts(detractors, _counts[7] + _counts[8], _counts[9] + _counts[10]);
    }

    /// <summary>A copy of the 11 counts, index = score.</summary>
    public long[] ToArray() => (long[])_counts.Clone();

    /// <summary>Pools two distributions.</summary>
    public static ScoreDistribution operator +(ScoreDistribution left, ScoreDistribution right)
    {
        ArgumentNullException.ThrowIfNull(left);
        ArgumentNullException.ThrowIfNull(right);
        var counts = new long[Length];
        for (var i = 0; i < Length; i++)
        {
            counts[i] = checked(left._counts[i] + right._counts[i]);
        }

        return new ScoreDistribution(counts, checked(left.N + right.N));
    }

    /// <inheritdoc cref="op_Addition"/>
    public static ScoreDistribution Add(ScoreDistribution left, ScoreDistribution right) => left + right;

    public static bool operator ==(ScoreDistribution? left, ScoreDistribution? right) =>
        left is null ? right is null : left.Equals(right);

    public static bool operator !=(ScoreDistribution? left, ScoreDistribution? right) => !(left == right);

    public bool Equals(ScoreDistribution? other) =>
        other is not null && _counts.AsSpan().SequenceEqual(other._counts);

    public override bool Equals(object? obj) => Equals(obj as ScoreDistribution);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var count in _counts)
        {
            hash.Add(count);
        }

        return hash.ToHashCode();
    }

    public override string ToString() => $"[{string.Join(", ", _counts)}]";
}
