namespace Promoter.Core;

/// <summary>
/// The same respondents surveyed twice: a 3×3 table of counts, rows = category at time A, columns = category at
/// time B, both in the order detractor, passive, promoter.
/// </summary>
public sealed class PairedTable
{
    private const int Size = 3;

    private readonly long[] _cells;

    private PairedTable(long[] cells, long n)
    {
        _cells = cells;
        N = n;
    }

    /// <summary>Number of respondents (pairs).</summary>
    public long N { get; }

    /// <summary>Category counts at time A (row totals).</summary>
    public NpsCounts Before => new(RowTotal(0), RowTotal(1), RowTotal(2));

    /// <summary>Category counts at time B (column totals).</summary>
    public NpsCounts After => new(ColumnTotal(0), ColumnTotal(1), ColumnTotal(2));

    /// <summary>Respondents who were <paramref name="before"/> at time A and <paramref name="after"/> at time B.</summary>
    public long this[NpsCategory before, NpsCategory after] => _cells[(Index(before) * Size) + Index(after)];

    /// <summary>A table from 9 counts in row-major order (D→D, D→P, D→Pr, P→D, …, Pr→Pr).</summary>
    /// <exception cref="ArgumentException">Not exactly 9 counts.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A count is negative.</exception>
    /// <exception cref="OverflowException">The total does not fit in a <see cref="long"/>.</exception>
    public static PairedTable Create(long[] nineCountsRowMajor)
    {
        ArgumentNullException.ThrowIfNull(nineCountsRowMajor);
        if (nineCountsRowMajor.Length != Size * Size)
        {
            throw new ArgumentException(
                $"Expected {Size * Size} counts (3×3, row-major), got {nineCountsRowMajor.Length}.", nameof(nineCountsRowMajor));
        }

        long n = 0;
        foreach (var count in nineCountsRowMajor)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(nineCountsRowMajor));
            n = checked(n + count);
        }

        return new PairedTable((long[])nineCountsRowMajor.Clone(), n);
    }

    /// <summary>Tallies (before, after) category pairs, one per respondent.</summary>
    public static PairedTable FromPairs(IEnumerable<(NpsCategory Before, NpsCategory After)> pairs)
    {
        ArgumentNullException.ThrowIfNull(pairs);
        var cells = new long[Size * Size];
        long n = 0;
        foreach (var (before, after) in pairs)
        {
            cells[(Index(before) * Size) + Index(after)]++;
            n++;
        }

        return new PairedTable(cells, n);
    }

    /// <summary>A copy of the 9 counts, row-major.</summary>
    public long[] ToArray() => (long[])_cells.Clone();

    private static int Index(NpsCategory category) => category switch
    {
        NpsCategory.Detractor => 0,
        NpsCategory.Passive => 1,
        NpsCategory.Promoter => 2,
        _ => throw new ArgumentOutOfRangeException(nameof(category), category, "Unknown NPS category."),
    };

    private long RowTotal(int row) => _cells[row * Size] + _cells[(row * Size) + 1] + _cells[(row * Size) + 2];

    private long ColumnTotal(int column) => _cells[column] + _cells[Size + column] + _cells[(2 * Size) + column];
}
