using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Sv;
using Lucene.Net.Analysis.Util;

namespace Promoter.Core.Text;

/// <summary>The languages the text pipeline knows, and how a response's language is chosen.</summary>
public static class TextLanguages
{
    public const string English = "en";
    public const string Swedish = "sv";
    public const string Macedonian = "mk";
    public const string Arabic = "ar";
    public const string Thai = "th";

    // Detection reads at most this much text: the dominant script of a long comment shows in its first few thousand characters.
    private const int DetectionWindow = 4000;

    // Words in both the Swedish and the English vocabulary, so they say nothing about which of the two a comment is in.
    private static readonly HashSet<string> Ambiguous = new(StringComparer.Ordinal) { "i", "man", "under", "a", "at", "de", "den", "for", "ha", "in", "er", "ut", "hade" };

    public static IReadOnlyList<string> Supported { get; } = [English, Swedish, Macedonian, Arabic, Thai];

    /// <summary>Whether <paramref name="language"/> is one of <see cref="Supported"/> (exact, lower-case base tag).</summary>
    public static bool IsSupported(string? language) => language is English or Swedish or Macedonian or Arabic or Thai;

    /// <summary>
    /// The pipeline language for a response: the response's language tag reduced to its base ("sv-SE" → "sv") when
    /// supported, else detected from the dominant script of the text (Thai script → th, Arabic → ar, Cyrillic → mk,
    /// Latin → sv when Swedish letters/words dominate, else en). Never null; "en" when the text has no letters.
    /// </summary>
    public static string Resolve(string? responseLanguage, string text)
    {
        if (BaseTag(responseLanguage) is { } tag && IsSupported(tag))
        {
            return tag;
        }

        return Detect(text ?? "");
    }

    /// <summary>"sv-SE" → "sv", "EN_us" → "en"; null for a blank tag.</summary>
    internal static string? BaseTag(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }

        var span = tag.AsSpan().Trim();
        var cut = span.IndexOfAny('-', '_');
        return (cut >= 0 ? span[..cut] : span).ToString().ToLowerInvariant();
    }

    private static string Detect(string text)
    {
        var span = text.AsSpan(0, Math.Min(text.Length, DetectionWindow));
        int thai = 0, arabic = 0, cyrillic = 0, latin = 0;
        foreach (var c in span)
        {
            switch (Script.Of(c))
            {
                case ScriptKind.Thai: thai++; break;
                case ScriptKind.Arabic: arabic++; break;
                case ScriptKind.Cyrillic: cyrillic++; break;
                case ScriptKind.Latin: latin++; break;
                default: break;
            }
        }

        var best = Math.Max(Math.Max(thai, arabic), Math.Max(cyrillic, latin));
        if (best == 0)
        {
            return English;
        }

        if (thai == best)
        {
            return Thai;
        }

        if (arabic == best)
        {
            return Arabic;
        }

        if (cyrillic == best)
        {
            return Macedonian;
        }

        return LooksSwedish(span) ? Swedish : English;
    }

    // Swedish when its stop words and letters (å, ä, ö) outnumber English stop words; both stop lists are Lucene's.
    private static bool LooksSwedish(ReadOnlySpan<char> text)
    {
        CharArraySet swedish = SwedishAnalyzer.DefaultStopSet;
        CharArraySet english = EnglishAnalyzer.DefaultStopSet;
        Span<char> word = stackalloc char[24];
        int sv = 0, en = 0, i = 0;
        while (i < text.Length)
        {
            if (!char.IsLetter(text[i]))
            {
                i++;
                continue;
            }

            var start = i;
            while (i < text.Length && char.IsLetter(text[i]))
            {
                i++;
            }

            var length = i - start;
            if (length > word.Length)
            {
                continue;
            }

            var lower = word[..length];
            text.Slice(start, length).ToLowerInvariant(lower);
            if (lower.IndexOfAny('å', 'ä', 'ö') >= 0)
            {
                sv++;
            }

            var candidate = lower.ToString();
            if (Ambiguous.Contains(candidate))
            {
                continue;
            }

            if (swedish.Contains(candidate))
            {
                sv++;
            }
            else if (english.Contains(candidate))
            {
                en++;
            }
        }

        return sv > en;
    }
}

internal enum ScriptKind
{
    Other,
    Latin,
    Cyrillic,
    Arabic,
    Thai,
}

internal static class Script
{
    /// <summary>The script of a letter; <see cref="ScriptKind.Other"/> for non-letters and other scripts.</summary>
    public static ScriptKind Of(char c) => c switch
    {
        >= '\u0E00' and <= '\u0E7F' => char.IsLetter(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.NonSpacingMark ? ScriptKind.Thai : ScriptKind.Other,
        >= '\u0600' and <= '\u06FF' or >= '\u0750' and <= '\u077F' or >= '\u08A0' and <= '\u08FF'
            or >= '\uFB50' and <= '\uFDFF' or >= '\uFE70' and <= '\uFEFF' => char.IsLetter(c) ? ScriptKind.Arabic : ScriptKind.Other,
        >= '\u0400' and <= '\u052F' => char.IsLetter(c) ? ScriptKind.Cyrillic : ScriptKind.Other,
        >= 'A' and <= 'Z' or >= 'a' and <= 'z' => ScriptKind.Latin,
        >= '\u00C0' and <= '\u024F' or >= '\u1E00' and <= '\u1EFF' => char.IsLetter(c) ? ScriptKind.Latin : ScriptKind.Other,
        _ => ScriptKind.Other,
    };

    public static bool IsThai(char c) => c is >= '\u0E00' and <= '\u0E7F';
}
