using System.Globalization;
using System.Text;
using System.Text.Json;
using Promoter.Platform;

namespace Promoter.Distribution.Contacts;

/// <summary>
/// Which contacts a list, a page or a batch send is about. Every criterion is optional; together they narrow.
/// Parsed from query strings (<c>?email=&amp;name=&amp;locale=&amp;property=plan:gold&amp;createdFrom=&amp;createdTo=</c>),
/// the same in the API, the dashboard's URL and the <c>--filter</c> of the CLI.
/// </summary>
public sealed record ContactFilter
{
    public string? Email { get; init; }
    public string? Name { get; init; }
    public string? Locale { get; init; }
    public string? PropertyKey { get; init; }
    public string? PropertyValue { get; init; }
    public DateTime? CreatedFrom { get; init; }

    /// <summary>Exclusive upper bound.</summary>
    public DateTime? CreatedBefore { get; init; }

    public static readonly ContactFilter None = new();

    public bool IsEmpty => this == None;

    public static ContactFilter Parse(string? email, string? name, string? locale, string? property, string? createdFrom, string? createdTo, FieldErrors errors)
    {
        var filter = new ContactFilter
        {
            Email = Term(email, "email", 254, errors)?.ToLowerInvariant(),
            Name = Term(name, "name", ContactFields.MaxName, errors),
            Locale = string.IsNullOrWhiteSpace(locale) ? null : ContactFields.Locale(locale, errors),
            CreatedFrom = Day(createdFrom, "createdFrom", errors, endOfDay: false),
            CreatedBefore = Day(createdTo, "createdTo", errors, endOfDay: true),
        };

        if (!string.IsNullOrWhiteSpace(property))
        {
            var colon = property.IndexOf(':', StringComparison.Ordinal);
            var key = colon < 0 ? property.Trim() : property[..colon].Trim();
            if (!TextInput.IsPropertyKey(key))
            {
                errors.Add("property", "Use name:value, e.g. plan:gold (name: letters, digits, '_', '.' or '-').");
            }
            else
            {
                filter = filter with { PropertyKey = key, PropertyValue = colon < 0 ? null : TextInput.Line(property[(colon + 1)..], "property", TextInput.MaxPropertyValueCharacters, errors) };
            }
        }

        if (filter.CreatedFrom >= filter.CreatedBefore)
        {
            errors.Add("createdFrom", "'createdFrom' must be before 'createdTo'.");
        }

        return filter;
    }

    /// <summary>
    /// The JSON text a stored property pair contains, e.g. <c>"plan":"gold"</c>. Properties are written by
    /// System.Text.Json with its default escaping (quotes become \u0022), so this substring matches exactly that
    /// key with exactly that value on both providers, without JSON functions that differ between them.
    /// </summary>
    public string? PropertyNeedle => PropertyKey is null ? null
        : PropertyValue is null ? JsonSerializer.Serialize(PropertyKey) + ":"
        : JsonSerializer.Serialize(PropertyKey) + ":" + JsonSerializer.Serialize(PropertyValue);

    /// <summary>The filter as query-string pairs (dashboard links, the batch's stored description).</summary>
    public IEnumerable<KeyValuePair<string, string>> ToQuery()
    {
        if (Email is not null) yield return new("email", Email);
        if (Name is not null) yield return new("name", Name);
        if (Locale is not null) yield return new("locale", Locale);
        if (PropertyKey is not null) yield return new("property", PropertyValue is null ? PropertyKey : PropertyKey + ":" + PropertyValue);
        if (CreatedFrom is { } from) yield return new("createdFrom", from.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        if (CreatedBefore is { } before) yield return new("createdTo", before.AddDays(-1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var (key, value) in ToQuery())
        {
            text.Append(text.Length == 0 ? "" : "&").Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
        }

        return text.ToString();
    }

    private static string? Term(string? input, string field, int max, FieldErrors errors) =>
        string.IsNullOrWhiteSpace(input) ? null : TextInput.Line(input, field, max, errors);

    private static DateTime? Day(string? input, string field, FieldErrors errors, bool endOfDay)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        if (!DateOnly.TryParseExact(input.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            errors.Add(field, "Use a date such as 2026-03-31.");
            return null;
        }

        // Dates are UTC days; "createdTo" includes its whole day.
        return day.AddDays(endOfDay ? 1 : 0).ToDateTime(TimeOnly.MinValue, DateTimeKind.Utc);
    }
}
