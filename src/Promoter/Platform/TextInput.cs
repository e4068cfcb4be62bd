using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Promoter.Platform;

/// <summary>
/// Cleaning of free text from outside (comments, names, property values): NFC, no control characters except
/// line breaks and tabs, no bidi embeddings/overrides/isolates (Trojan-Source style reordering), trimmed, and limited
/// in user-perceived characters. Validation happens after normalising, so the limits apply to what is stored.
/// </summary>
public static partial class TextInput
{
    public const int MaxCommentCharacters = 5_000;
    public const int MaxCommentBytes = 20_000;
    public const int MaxPropertyKeys = 50;
    public const int MaxPropertyValueCharacters = 256;

    /// <summary>Returns the cleaned text, or null for nothing but whitespace.</summary>
    public static string? Clean(string? input, bool multiline)
    {
        if (input is null)
        {
            return null;
        }

        if (IsAlreadyClean(input, multiline))
        {
            return input.Length == 0 ? null : input;
        }

        if (!IsWellFormed(input))
        {
            throw new FormatException("The text contains an unpaired surrogate.");
        }

        var normalized = input.Normalize(NormalizationForm.FormC);
        var builder = new StringBuilder(normalized.Length);
        for (var i = 0; i < normalized.Length; i++)
        {
            var c = normalized[i];
            if (c == '\r')
            {
                if (multiline && (i + 1 >= normalized.Length || normalized[i + 1] != '\n'))
                {
                    builder.Append('\n');
                }

                continue;
            }

            if (c == '\n' || c == '\t')
            {
                builder.Append(multiline ? c : ' ');
                continue;
            }

            if (char.IsControl(c) || IsBidiControl(c) || c == '\uFEFF')
            {
                continue;
            }

            builder.Append(c);
        }

        var cleaned = builder.ToString().Trim();
        return cleaned.Length == 0 ? null : cleaned;
    }

    // The common case (imports clean millions of comments): printable text with nothing to drop or trim, already NFC.
    private static bool IsAlreadyClean(string s, bool multiline)
    {
        if (s.Length > 0 && (char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1])))
        {
            return false;
        }

        var ascii = true;
        foreach (var c in s)
        {
            if (c < ' ')
            {
                if (!(multiline && c == '\n'))
                {
                    return false;
                }
            }
            else if (c >= '\u007F')
            {
                if (char.IsSurrogate(c) || c == '\uFEFF' || IsBidiControl(c) || char.IsControl(c))
                {
                    return false;
                }

                ascii = false;
            }
        }

        return ascii || s.IsNormalized(NormalizationForm.FormC);
    }

    /// <summary>Embeddings, overrides and isolates reorder what is displayed; LRM/RLM/ALM are legitimate in RTL text and stay.</summary>
    public static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    public static int PerceivedLength(string text) => new StringInfo(text).LengthInTextElements;

    private static bool IsWellFormed(string s)
    {
        for (var i = 0; i < s.Length; i++)
        {
            if (char.IsHighSurrogate(s[i]))
            {
                if (i + 1 >= s.Length || !char.IsLowSurrogate(s[i + 1]))
                {
                    return false;
                }

                i++;
            }
            else if (char.IsLowSurrogate(s[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Cleans a comment and adds a field error when it is malformed or too long.</summary>
    public static string? Comment(string? input, string field, FieldErrors errors)
    {
        string? cleaned;
        try
        {
            cleaned = Clean(input, multiline: true);
        }
        catch (FormatException e)
        {
            errors.Add(field, e.Message);
            return null;
        }

        // A text element is at least one UTF-16 unit and one unit is at most 3 UTF-8 bytes, so short text needs no counting.
        if (cleaned is not null && cleaned.Length > MaxCommentCharacters
            && (PerceivedLength(cleaned) > MaxCommentCharacters || Encoding.UTF8.GetByteCount(cleaned) > MaxCommentBytes))
        {
            errors.Add(field, $"Use at most {MaxCommentCharacters} characters.");
        }

        return cleaned;
    }

    /// <summary>Cleans a one-line value (a name, a property value) limited to <paramref name="max"/> characters.</summary>
    public static string? Line(string? input, string field, int max, FieldErrors errors)
    {
        string? cleaned;
        try
        {
            cleaned = Clean(input, multiline: false);
        }
        catch (FormatException e)
        {
            errors.Add(field, e.Message);
            return null;
        }

        if (cleaned is not null && cleaned.Length > max && PerceivedLength(cleaned) > max)
        {
            errors.Add(field, $"Use at most {max} characters.");
        }

        return cleaned;
    }

    /// <summary>Property keys: letters, digits, '_', '.', '-', 1 to 64 characters.</summary>
    public static bool IsPropertyKey(string key) => PropertyKeyPattern().IsMatch(key);

    /// <summary>Validates and cleans a property map (≤ 50 keys, valid names, ≤ 256-character string values).</summary>
    public static Dictionary<string, string> Properties(IReadOnlyDictionary<string, string?>? input, string field, FieldErrors errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (input is null)
        {
            return result;
        }

        if (input.Count > MaxPropertyKeys)
        {
            errors.Add(field, $"Use at most {MaxPropertyKeys} properties (got {input.Count}).");
            return result;
        }

        foreach (var (key, value) in input)
        {
            if (!IsPropertyKey(key))
            {
                errors.Add($"{field}.{Safe(key)}", "Property names use letters, digits, '_', '.' or '-' (1 to 64 characters).");
                continue;
            }

            var cleaned = Line(value, $"{field}.{key}", MaxPropertyValueCharacters, errors);
            if (cleaned is not null)
            {
                result[key] = cleaned;
            }
        }

        return result;
    }

    private static string Safe(string key) => key.Length > 64 ? key[..64] : new string(key.Where(c => !char.IsControl(c)).ToArray());

    [GeneratedRegex("^[A-Za-z0-9_.-]{1,64}$")]
    private static partial Regex PropertyKeyPattern();
}
