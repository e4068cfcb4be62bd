using System.Collections.Frozen;
using System.Text.Json;

namespace Promoter.Localization;

/// <summary>
/// Every language Promoter speaks, loaded once from the JSON files next to the executable.
/// Adding a language is adding a file: nothing here names a language except the fallback, English.
/// </summary>
public sealed class LocaleCatalog
{
    public const string Fallback = "en";

    private readonly FrozenDictionary<string, Locale> _locales;

    public LocaleCatalog(string directory)
    {
        var locales = new Dictionary<string, Locale>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in Directory.EnumerateFiles(directory, "*.json"))
        {
            var locale = Load(file);
            locales[locale.Code] = locale;
        }

        if (!locales.TryGetValue(Fallback, out var english))
        {
            throw new InvalidOperationException($"No {Fallback}.json in {directory}; it is the fallback language.");
        }

        foreach (var locale in locales.Values)
        {
            var missing = english.Texts.Keys.Except(locale.Texts.Keys).ToList();
            if (missing.Count > 0)
            {
                throw new InvalidOperationException($"{locale.Code}.json lacks {missing.Count} text(s), e.g. '{missing[0]}'.");
            }
        }

        _locales = locales.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    public static string DefaultDirectory => Path.Combine(AppContext.BaseDirectory, "Localization", "Locales");

    public IReadOnlyCollection<Locale> All => _locales.Values;

    public Locale English => _locales[Fallback];

    public bool Has(string? code) => code is not null && _locales.ContainsKey(code);

    public Locale Get(string code) => _locales.TryGetValue(code, out var l) ? l : English;

    /// <summary>"sv-SE" → "sv" when only "sv" exists; null when nothing matches.</summary>
    public string? Match(string? tag)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            return null;
        }

        tag = tag.Trim().Replace('_', '-');
        if (_locales.TryGetValue(tag, out var exact))
        {
            return exact.Code;
        }

        var dash = tag.IndexOf('-', StringComparison.Ordinal);
        return dash > 0 && _locales.TryGetValue(tag[..dash], out var primary) ? primary.Code : null;
    }

    private static Locale Load(string file)
    {
        using var stream = File.OpenRead(file);
        using var json = JsonDocument.Parse(stream);
        var root = json.RootElement;
        var meta = root.GetProperty("_meta");
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in root.EnumerateObject())
        {
            if (property.Name != "_meta")
            {
                texts[property.Name] = property.Value.GetString() ?? "";
            }
        }

        var code = meta.GetProperty("code").GetString()!;
        if (!string.Equals(code, Path.GetFileNameWithoutExtension(file), StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{Path.GetFileName(file)} declares code '{code}'; the file name and the code must agree.");
        }

        return new Locale(code, meta.GetProperty("name").GetString()!, meta.GetProperty("nativeName").GetString()!,
            meta.GetProperty("direction").GetString() == "rtl", texts.ToFrozenDictionary(StringComparer.Ordinal));
    }
}
