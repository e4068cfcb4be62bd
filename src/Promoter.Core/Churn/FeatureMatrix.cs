namespace Promoter.Core.Churn;

/// <summary>
/// A dense, row-major matrix of features with named columns: one row per contact, one column per feature.
/// Flat storage keeps the fitting loop cache-friendly and lets a caller fill rows without per-row arrays.
/// </summary>
public sealed class FeatureMatrix
{
    private readonly double[] _values;
    private readonly string[] _names;

    /// <summary>A zero-filled matrix of <paramref name="rows"/> rows and one column per name.</summary>
    /// <exception cref="ArgumentOutOfRangeException">No columns, or a negative row count.</exception>
    public FeatureMatrix(IReadOnlyList<string> names, int rows)
    {
        ArgumentNullException.ThrowIfNull(names);
        if (names.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(names), names.Count, "A feature matrix needs at least one column.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(rows);
        _names = [.. names];
        Rows = rows;
        Columns = names.Count;
        _values = new double[(long)rows * Columns];
    }

    public int Rows { get; }

    public int Columns { get; }

    public IReadOnlyList<string> Names => _names;

    public double this[int row, int column]
    {
        get => _values[Index(row, column)];
        set => _values[Index(row, column)] = value;
    }

    /// <summary>Builds a matrix from one array per row; every row must have one value per name.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A row has the wrong length.</exception>
    public static FeatureMatrix FromRows(IReadOnlyList<string> names, IReadOnlyList<double[]> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var matrix = new FeatureMatrix(names, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            if (rows[i].Length != matrix.Columns)
            {
                throw new ArgumentOutOfRangeException(nameof(rows), rows[i].Length, $"Row {i} has {rows[i].Length} values; expected {matrix.Columns}.");
            }

            rows[i].CopyTo(matrix.Row(i));
        }

        return matrix;
    }

    /// <summary>The writable values of one row.</summary>
    public Span<double> Row(int row)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        return _values.AsSpan(row * Columns, Columns);
    }

    internal ReadOnlySpan<double> Values => _values;

    private int Index(int row, int column)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(row);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(row, Rows);
        ArgumentOutOfRangeException.ThrowIfNegative(column);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(column, Columns);
        return (row * Columns) + column;
    }
}
