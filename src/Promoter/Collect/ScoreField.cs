using System.Text.Json;
using Promoter.Core;
using Promoter.Platform;

namespace Promoter.Collect;

/// <summary>
/// Scores from the outside world: a JSON integer 0..10, or in a form the ASCII text "0".."10".
/// Not "7.0", "+7", "07", "٧", 10.5, true, null or a list.
/// </summary>
public static class ScoreField
{
    public static Score? FromJson(JsonElement element, string field, FieldErrors errors)
    {
        if (element.ValueKind == JsonValueKind.Number && IsPlainInteger(element.GetRawText()) && element.TryGetInt32(out var value) && value is >= 0 and <= 10)
        {
            return Score.From(value);
        }

        errors.Add(field, element.ValueKind == JsonValueKind.Undefined
            ? "A score is required: an integer from 0 to 10."
            : "The score must be an integer from 0 to 10 (a JSON number such as 7, not \"7\", 7.0 or null).");
        return null;
    }

    public static Score? FromForm(string? text, string field, FieldErrors errors)
    {
        if (text is not null && Score.TryParse(text, out var score))
        {
            return score;
        }

        errors.Add(field, "Choose a score from 0 to 10.");
        return null;
    }

    // JSON allows 7.0 and 7e0 for seven; a score is written as a bare integer.
    private static bool IsPlainInteger(string raw) => raw.All(char.IsAsciiDigit) && (raw.Length == 1 || raw[0] != '0');
}
