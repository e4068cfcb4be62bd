using Promoter.Core.Text;

namespace Promoter.Core.Tests.Text;

public sealed class TextLanguagesTests
{
    [Fact]
    public void Five_languages_are_supported()
    {
        Assert.Equal(["en", "sv", "mk", "ar", "th"], TextLanguages.Supported);
    }

    [Theory]
    [InlineData("sv-SE", "The delivery was late", "sv")]
    [InlineData("SV_se", "", "sv")]
    [InlineData("ar", "", "ar")]
    [InlineData("en-GB", "บริการช้ามาก", "en")]
    [InlineData("mk", "hello", "mk")]
    [InlineData("th-TH", "", "th")]
    public void A_supported_tag_wins(string tag, string text, string expected)
    {
        Assert.Equal(expected, TextLanguages.Resolve(tag, text));
    }

    [Theory]
    // seed 004
    [InlineData("fr", "การปิดลูปคำติชมของลูกค้ามีความสำคัญต่อธุรกิจ", "th")]
    // seed 000
    [InlineData("fr-FR", "يحظى نظام Net Promoter Score (NPS) بشعبية كبيرة ويفضله الباحثون", "ar")]
    // seed 002
    [InlineData(null, "Моќта на доброто корисничко искуство никогаш не треба да се потцени.", "mk")]
    // seed 003
    [InlineData(null, "Net Promoter Score mäter kundlojalitet genom att mäta om en kund skulle hänvisa ditt företag till en vän eller kollega.", "sv")]
    [InlineData("", "Leveransen var sen och paketet skadat", "sv")]
    [InlineData("  ", "The delivery was late and the package was damaged", "en")]
    [InlineData("de", "I love this app, it is great", "en")]
    [InlineData(null, "12345 !!!", "en")]
    [InlineData(null, "", "en")]
    public void Without_a_supported_tag_the_script_decides(string? tag, string text, string expected)
    {
        Assert.Equal(expected, TextLanguages.Resolve(tag, text));
    }

    [Fact]
    public void Mixed_scripts_go_to_the_dominant_one()
    {
        Assert.Equal("th", TextLanguages.Resolve(null, "NPS บริการช้ามากและพนักงานไม่สุภาพ"));
        Assert.Equal("ar", TextLanguages.Resolve(null, "NPS survey: الخدمة ممتازة والموظفون لطفاء جدا"));
    }
}
