using System.Text.Json;

namespace Promoter.Platform;

/// <summary>Free properties are stored as a JSON object of strings; these helpers read, write and merge them.</summary>
public static class PropertyBags
{
    public static Dictionary<string, string> Read(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return new(StringComparer.Ordinal);
        }

        return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? new(StringComparer.Ordinal);
    }

    public static string? Write(IReadOnlyDictionary<string, string>? properties) =>
        properties is null || properties.Count == 0 ? null : JsonSerializer.Serialize(properties);

    /// <summary>The second bag's values win over the first's.</summary>
    public static string? Merge(string? baseJson, string? overridesJson)
    {
        var merged = Read(baseJson);
        foreach (var (key, value) in Read(overridesJson))
        {
            merged[key] = value;
        }

        return Write(merged);
    }
}
