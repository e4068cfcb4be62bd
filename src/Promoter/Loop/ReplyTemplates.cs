using System.Text.RegularExpressions;
using Promoter.Core;
using Promoter.Localization;

namespace Promoter.Loop;

public enum ReplyTemplate
{
    Detractor,
    Passive,
    Promoter,

    /// <summary>"Tell them what we did": the message that closes the loop.</summary>
    Closing,
}

/// <summary>
/// The reply a team member starts from, in the respondent's language (<c>reply.*</c> in the locale files): listen and
/// apologise to a detractor, make a passive an offer, thank a promoter and ask for a review. Plain text; the <c>…</c>
/// marks what the agent fills in.
/// </summary>
public static partial class ReplyTemplates
{
    public static ReplyTemplate ForCategory(NpsCategory category) => category switch
    {
        NpsCategory.Detractor => ReplyTemplate.Detractor,
        NpsCategory.Passive => ReplyTemplate.Passive,
        _ => ReplyTemplate.Promoter,
    };

    public static string Key(ReplyTemplate template) => template.ToString().ToLowerInvariant();

    public static bool TryParse(string? value, out ReplyTemplate template) =>
        Enum.TryParse(value?.Trim(), ignoreCase: true, out template) && Enum.IsDefined(template);

    public static (string Subject, string Body) Fill(Locale locale, ReplyTemplate template, string? name, string brand, string agent, string? link)
    {
        (string, string?)[] values = [("name", string.IsNullOrWhiteSpace(name) ? "" : name), ("brand", brand), ("agent", agent), ("link", link ?? "")];
        var key = Key(template);
        var subject = locale.Text($"reply.{key}.subject", values).Replace(" ,", ",", StringComparison.Ordinal).Trim();
        var body = locale.Text($"reply.{key}.body", values).Replace(" ,\n", ",\n", StringComparison.Ordinal);
        return (subject, body);
    }

    /// <summary>
    /// What the agent has not filled in yet: the templates' <c>…</c> (in every language), and a <c>{name}</c>-style field
    /// pasted from elsewhere. Three dots in prose ("well...") are left alone.
    /// </summary>
    public static IReadOnlyList<(int Index, int Length)> Placeholders(string text) =>
        PlaceholderPattern().Matches(text).Select(m => (m.Index, m.Length)).ToList();

    /// <summary>The 1-based line number and the text of the line holding <paramref name="index"/>.</summary>
    public static (int Number, string Text) LineAt(string text, int index)
    {
        var start = index == 0 ? 0 : text.LastIndexOf('\n', index - 1) + 1;
        var end = text.IndexOf('\n', index);
        var number = 1 + text.AsSpan(0, start).Count('\n');
        return (number, text[start..(end < 0 ? text.Length : end)]);
    }

    [GeneratedRegex(@"…|\{[\p{L}_][\p{L}\p{N}_]*\}")]
    private static partial Regex PlaceholderPattern();
}
