using System.Globalization;

namespace Promoter.Core;

/// <summary>An answer to the NPS question: an integer from 0 to 10. <c>default</c> is a valid score of 0.</summary>
public readonly record struct Score
{
    public const int MinValue = 0;
    public const int MaxValue = 10;

    private Score(int value) => Value = value;

    public int Value { get; }

    public NpsCategory Category => NpsCategories.Of(Value);

    /// <exception cref="ArgumentOutOfRangeException">The value is not 0..10.</exception>
    public static Score From(int value) => value is >= MinValue and <= MaxValue
        ? new Score(value)
        : throw new ArgumentOutOfRangeException(nameof(value), value, "An NPS score is an integer from 0 to 10.");

    /// <summary>
    /// Strict parse of "0".."10": ASCII digits only, no sign, whitespace, leading zero, decimal point,
    /// exponent or non-ASCII digit, so "7.0", "07", " 7" and "٧" are all rejected.
    /// </summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Score score)
    {
        // char.IsAsciiDigit, not char.IsDigit: the latter accepts Arabic-Indic and other Unicode digits.
        var value = text switch
        {
            [var c] when char.IsAsciiDigit(c) => c - '0',
            ['1', '0'] => 10,
            _ => -1,
        };
        score = value < 0 ? default : new Score(value);
        return value >= 0;
    }

    /// <exception cref="FormatException">The text is not exactly one of "0".."10".</exception>
    public static Score Parse(ReadOnlySpan<char> text) => TryParse(text, out var score)
        ? score
        : throw new FormatException("An NPS score must be one of the integers 0 to 10, written with ASCII digits.");

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}
