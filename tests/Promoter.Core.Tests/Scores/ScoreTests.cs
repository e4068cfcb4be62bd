using FsCheck.Xunit;

namespace Promoter.Core.Tests.Scores;

public class ScoreTests
{
    public static TheoryData<string> Canonical() => [.. Enumerable.Range(0, 11).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture))];

    [Theory]
    [MemberData(nameof(Canonical))]
    public void TryParse_accepts_the_canonical_integers(string text)
    {
        Assert.True(Score.TryParse(text, out var score));
        Assert.Equal(text, score.ToString());
    }

    [Theory]
    [InlineData("7.0")]
    [InlineData("7.5")]
    [InlineData("+7")]
    [InlineData("07")]
    [InlineData("00")]
    [InlineData("010")]
    [InlineData("-1")]
    [InlineData("-0")]
    [InlineData("11")]
    [InlineData("100")]
    [InlineData(" 7")]
    [InlineData("7 ")]
    [InlineData("\t7")]
    [InlineData("\u0667")] // Arabic-Indic seven
    [InlineData("\u06F7")] // Extended Arabic-Indic seven
    [InlineData("\u0E57")] // Thai seven
    [InlineData("\uFF17")] // fullwidth seven
    [InlineData("")]
    [InlineData("1e1")]
    [InlineData("10.5")]
    [InlineData("10.")]
    [InlineData(".5")]
    [InlineData("\uFEFF7")]
    [InlineData("7\0")]
    [InlineData("seven")]
    [InlineData("0x7")]
    public void TryParse_rejects_anything_else(string text)
    {
        Assert.False(Score.TryParse(text, out var score));
        Assert.Equal(default, score);
    }

    [Property]
    public bool TryParse_accepts_exactly_the_eleven_canonical_strings(string? text)
    {
        var canonical = text is "0" or "1" or "2" or "3" or "4" or "5" or "6" or "7" or "8" or "9" or "10";
        return Score.TryParse(text, out var score) == canonical && (!canonical || score.ToString() == text);
    }

    [Fact]
    public void Parse_throws_FormatException_for_invalid_text() =>
        Assert.Throws<FormatException>(() => Score.Parse("07"));

    [Fact]
    public void Parse_returns_the_score() => Assert.Equal(Score.From(10), Score.Parse("10"));

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void From_rejects_values_outside_0_to_10(int value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Score.From(value));

    [Theory]
    [InlineData(0, NpsCategory.Detractor)]
    [InlineData(6, NpsCategory.Detractor)]
    [InlineData(7, NpsCategory.Passive)]
    [InlineData(8, NpsCategory.Passive)]
    [InlineData(9, NpsCategory.Promoter)]
    [InlineData(10, NpsCategory.Promoter)]
    public void Category_follows_the_NPS_rules(int value, NpsCategory expected)
    {
        Assert.Equal(expected, Score.From(value).Category);
        Assert.Equal(expected, NpsCategories.Of(value));
    }

    [Fact]
    public void Every_score_has_the_category_of_its_range()
    {
        for (var value = 0; value <= 10; value++)
        {
            var expected = value <= 6 ? NpsCategory.Detractor : value <= 8 ? NpsCategory.Passive : NpsCategory.Promoter;
            Assert.Equal(expected, Score.From(value).Category);
        }
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(11)]
    public void Category_helper_rejects_values_outside_0_to_10(int value) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => NpsCategories.Of(value));

    [Fact]
    public void Default_score_is_zero_and_valid()
    {
        Assert.Equal(0, default(Score).Value);
        Assert.Equal(Score.From(0), default);
    }

    [Fact]
    public void Scores_with_the_same_value_are_equal() => Assert.Equal(Score.From(7), Score.Parse("7"));
}
