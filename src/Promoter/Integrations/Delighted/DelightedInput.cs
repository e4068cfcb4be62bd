using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Promoter.Platform;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// Reading Delighted parameters from a JSON body or a query string. Each reader adds a field error naming the
/// parameter as the client spelled it, so a 422 says exactly what to fix.
/// </summary>
public static class DelightedInput
{
    public const int MaxPropertyKeyCharacters = 64;

    public static string? Text(JsonObject body, string field, FieldErrors errors)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() != JsonValueKind.String)
        {
            errors.Add(field, "must be a string");
            return null;
        }

        return node.GetValue<string>();
    }

    /// <summary>A JSON integer, or a string of ASCII digits (form-style clients send those).</summary>
    public static long? WholeNumber(JsonObject body, string field, FieldErrors errors)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null)
        {
            return null;
        }

        switch (node.GetValueKind())
        {
            case JsonValueKind.Number when node.AsValue().TryGetValue<long>(out var n):
                return n;
            case JsonValueKind.String when TryDigits(node.GetValue<string>(), out var parsed):
                return parsed;
            default:
                errors.Add(field, "must be an integer");
                return null;
        }
    }

    public static bool? Boolean(JsonObject body, string field, FieldErrors errors)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null)
        {
            return null;
        }

        switch (node.GetValueKind())
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.String when node.GetValue<string>() is "true" or "false":
                return node.GetValue<string>() == "true";
            default:
                errors.Add(field, "must be true or false");
                return null;
        }
    }

    /// <summary>
    /// A time as Unix seconds, or as ISO-8601 with an offset: the node client serialises a Date in a body with
    /// <c>JSON.stringify</c>, which gives "2020-01-01T00:00:00.000Z".
    /// </summary>
    public static DateTime? Time(JsonObject body, string field, FieldErrors errors)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null)
        {
            return null;
        }

        if (node.GetValueKind() == JsonValueKind.Number && node.AsValue().TryGetValue<long>(out var seconds))
        {
            return InRange(seconds, field, errors);
        }

        if (node.GetValueKind() == JsonValueKind.String)
        {
            var text = node.GetValue<string>();
            if (TryDigits(text, out var digits))
            {
                return InRange(digits, field, errors);
            }

            if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
                && (text.EndsWith('Z') || text.Length > 6 && text[^6] is '+' or '-'))
            {
                return InRange(parsed.ToUnixTimeSeconds(), field, errors);
            }
        }

        errors.Add(field, "must be a Unix timestamp in seconds");
        return null;
    }

    /// <summary>
    /// A Delighted property map. Values may be strings, numbers or booleans (stored as text); keys are free text as in
    /// Delighted ("Purchase Experience"), cleaned of control and bidi characters.
    /// </summary>
    public static Dictionary<string, string>? Properties(JsonObject body, string field, FieldErrors errors)
    {
        if (!body.TryGetPropertyValue(field, out var node) || node is null)
        {
            return null;
        }

        if (node is not JsonObject map)
        {
            errors.Add(field, "must be an object of names and values");
            return null;
        }

        if (map.Count > TextInput.MaxPropertyKeys)
        {
            errors.Add(field, $"has {map.Count} properties; use at most {TextInput.MaxPropertyKeys}");
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (rawKey, value) in map)
        {
            string? key;
            try
            {
                key = TextInput.Clean(rawKey, multiline: false);
            }
            catch (FormatException)
            {
                key = null;
            }

            var safeKey = key is null ? "" : key.Length > MaxPropertyKeyCharacters ? key[..MaxPropertyKeyCharacters] : key;
            if (key is null || key != rawKey || TextInput.PerceivedLength(key) > MaxPropertyKeyCharacters)
            {
                errors.Add($"{field}.{safeKey}", $"property names are 1 to {MaxPropertyKeyCharacters} printable characters");
                continue;
            }

            string? text = value?.GetValueKind() switch
            {
                null or JsonValueKind.Null => null,
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => value.ToJsonString(),
                _ => Invalid(),
            };

            string? Invalid()
            {
                errors.Add($"{field}.{key}", "must be a string, number or boolean");
                return null;
            }

            if (TextInput.Line(text, $"{field}.{key}", TextInput.MaxPropertyValueCharacters, errors) is { } cleaned)
            {
                result[key] = cleaned;
            }
        }

        return result;
    }

    public static string? Query(IQueryCollection query, string name, FieldErrors errors)
    {
        if (!query.TryGetValue(name, out var values))
        {
            return null;
        }

        if (values.Count != 1)
        {
            errors.Add(name, "give this parameter once");
            return null;
        }

        return values[0];
    }

    public static DateTime? QueryTime(IQueryCollection query, string name, FieldErrors errors)
    {
        if (Query(query, name, errors) is not { } text)
        {
            return null;
        }

        if (!TryDigits(text, out var seconds))
        {
            errors.Add(name, "must be a Unix timestamp in seconds");
            return null;
        }

        return InRange(seconds, name, errors);
    }

    public static int QueryInt(IQueryCollection query, string name, int fallback, int min, int max, FieldErrors errors)
    {
        if (Query(query, name, errors) is not { } text)
        {
            return fallback;
        }

        if (!TryDigits(text, out var value) || value < min || value > max)
        {
            errors.Add(name, $"must be an integer from {min} to {max}");
            return fallback;
        }

        return (int)value;
    }

    /// <summary>Values of a list parameter under both spellings clients use: <c>expand[]=a</c> and <c>expand=a</c>.</summary>
    public static IReadOnlyList<string> QueryList(IQueryCollection query, string name)
    {
        var values = new List<string>();
        foreach (var key in (string[])[name, name + "[]"])
        {
            if (query.TryGetValue(key, out var found))
            {
                values.AddRange(found.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!));
            }
        }

        return values;
    }

    private static DateTime? InRange(long seconds, string field, FieldErrors errors)
    {
        // Year 1970 to 9999: DateTime's range; anything else is a unit mistake (milliseconds) worth naming.
        if (seconds is < 0 or > 253_402_300_799)
        {
            errors.Add(field, "must be a Unix timestamp in seconds (not milliseconds)");
            return null;
        }

        return DelightedJson.FromUnix(seconds);
    }

    private static bool TryDigits(string text, out long value) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value) && text.Length <= 18;
}
