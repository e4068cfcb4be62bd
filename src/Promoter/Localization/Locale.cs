using System.Globalization;
using System.Text;

namespace Promoter.Localization;

/// <summary>The respondent-facing texts of one language, from <c>Localization/Locales/{code}.json</c>.</summary>
public sealed class Locale(string code, string name, string nativeName, bool rightToLeft, IReadOnlyDictionary<string, string> texts)
{
    public string Code { get; } = code;
    public string Name { get; } = name;
    public string NativeName { get; } = nativeName;
    public bool RightToLeft { get; } = rightToLeft;
    public string Direction => RightToLeft ? "rtl" : "ltr";
    public IReadOnlyDictionary<string, string> Texts { get; } = texts;

    /// <summary>The text for <paramref name="key"/> with <c>{placeholder}</c>s filled in. Values are plain text: encode on output.</summary>
    public string Text(string key, params (string Name, string? Value)[] values)
    {
        if (!Texts.TryGetValue(key, out var template))
        {
            throw new KeyNotFoundException($"Locale {Code} has no text '{key}'.");
        }

        if (values.Length == 0 || !template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }

        var result = new StringBuilder(template.Length + 32);
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '{' && template.IndexOf('}', i) is var end and > 0)
            {
                var name = template[(i + 1)..end];
                var match = Array.FindIndex(values, v => v.Name == name);
                if (match >= 0)
                {
                    result.Append(values[match].Value);
                    i = end;
                    continue;
                }
            }

            result.Append(template[i]);
        }

        return result.ToString();
    }

    public CultureInfo Culture => CultureInfo.GetCultureInfo(Code);
}
