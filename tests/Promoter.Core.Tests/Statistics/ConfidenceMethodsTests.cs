namespace Promoter.Core.Tests.Statistics;

public class ConfidenceMethodsTests
{
    [Theory]
    [InlineData("wald", ConfidenceMethod.Wald)]
    [InlineData("WALD", ConfidenceMethod.Wald)]
    [InlineData("adjusted-wald", ConfidenceMethod.AdjustedWald)]
    [InlineData("Adjusted-Wald", ConfidenceMethod.AdjustedWald)]
    [InlineData("tango", ConfidenceMethod.Tango)]
    [InlineData("TaNgO", ConfidenceMethod.Tango)]
    public void TryParse_accepts_wire_names_in_any_case(string text, ConfidenceMethod expected)
    {
        Assert.True(ConfidenceMethods.TryParse(text, out var method));
        Assert.Equal(expected, method);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("adjusted_wald")]
    [InlineData("adjustedwald")]
    [InlineData("AdjustedWald")]
    [InlineData(" wald")]
    [InlineData("wald ")]
    [InlineData("score")]
    [InlineData("1")]
    public void TryParse_rejects_other_strings(string? text) =>
        Assert.False(ConfidenceMethods.TryParse(text, out _));

    [Theory]
    [InlineData(ConfidenceMethod.Wald, "wald")]
    [InlineData(ConfidenceMethod.AdjustedWald, "adjusted-wald")]
    [InlineData(ConfidenceMethod.Tango, "tango")]
    public void ToWireName_gives_the_lower_case_name(ConfidenceMethod method, string expected) =>
        Assert.Equal(expected, method.ToWireName());

    [Fact]
    public void Every_method_round_trips_through_its_wire_name()
    {
        foreach (var method in Enum.GetValues<ConfidenceMethod>())
        {
            Assert.True(ConfidenceMethods.TryParse(method.ToWireName(), out var parsed));
            Assert.Equal(method, parsed);
        }
    }

    [Fact]
    public void Unknown_enum_values_have_no_wire_name() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ((ConfidenceMethod)42).ToWireName());
}
