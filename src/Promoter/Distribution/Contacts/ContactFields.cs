using System.Text.RegularExpressions;
using Promoter.Platform;

namespace Promoter.Distribution.Contacts;

/// <summary>A contact input after validation: every value normalised, ready to store.</summary>
public sealed record ValidContact(string? Email, string? EmailKey, string? Phone, string? Name, string? Locale, string? TimeZone,
    IReadOnlyDictionary<string, string?> Properties);

/// <summary>
/// The rules for each contact field, shared by the API, the upsert used by other features and the CSV import.
/// Errors name the field (<c>email</c>, <c>phone</c>, <c>properties.plan</c>…) so a caller fixes everything at once.
/// </summary>
public static partial class ContactFields
{
    public const int MaxName = 256;
    public const int MaxLocale = 16;
    public const int MaxTimeZone = 64;
    public const int MaxProperties = TextInput.MaxPropertyKeys;

    public static ValidContact Validate(ContactInput input, FieldErrors errors, bool requireAddress = true)
    {
        var email = Email(input.Email, errors);
        var phone = Phone(input.Phone, errors);
        if (requireAddress && email is null && phone is null && !errors.Any)
        {
            errors.Add("email", "Give an email address or a phone number.");
        }

        return new ValidContact(
            email,
            email is null ? null : EmailAddresses.Key(email),
            phone,
            Name(input.Name, errors),
            Locale(input.Locale, errors),
            TimeZone(input.TimeZone, errors),
            Properties(input.Properties, errors));
    }

    public static string? Email(string? input, FieldErrors errors)
    {
        if (input is null || input.Length == 0)
        {
            return null;
        }

        if (!EmailAddresses.TryNormalize(input, out var email))
        {
            errors.Add("email", "Use a single email address such as ana@example.com.");
            return null;
        }

        return email;
    }

    /// <summary>
    /// E.164 after dropping the usual separators: "+46 70-123 45 67" and "0046 70 123 45 67" both become
    /// "+46701234567". A national number without a country code is refused: it would not be unique across countries.
    /// </summary>
    public static string? Phone(string? input, FieldErrors errors)
    {
        if (input is null || input.Length == 0)
        {
            return null;
        }

        if (input.Length > 40 || input.Any(char.IsControl))
        {
            errors.Add("phone", "Use at most 40 characters and no control characters.");
            return null;
        }

        var compact = SeparatorPattern().Replace(input.Trim(), "");
        if (compact.StartsWith("00", StringComparison.Ordinal))
        {
            compact = "+" + compact[2..];
        }

        if (!E164Pattern().IsMatch(compact))
        {
            errors.Add("phone", "Use an international number starting with + and the country code, e.g. +46 70 123 45 67.");
            return null;
        }

        return compact;
    }

    /// <summary>
    /// Names end up in mail headers ("Ana &lt;ana@example.com&gt;"): any control character, line breaks included,
    /// is refused rather than silently removed, so a header-injection attempt is reported to the caller.
    /// </summary>
    public static string? Name(string? input, FieldErrors errors)
    {
        if (input is null)
        {
            return null;
        }

        if (input.Any(char.IsControl))
        {
            errors.Add("name", "The name must not contain line breaks or control characters.");
            return null;
        }

        var cleaned = TextInput.Line(input, "name", MaxName, errors);
        // The column holds 256 UTF-16 units on PostgreSQL (varchar counts code points; this is the safe bound).
        if (cleaned is { Length: > MaxName })
        {
            errors.Add("name", $"Use at most {MaxName} characters.");
            return null;
        }

        return cleaned;
    }

    /// <summary>A BCP 47 tag ("sv", "pt-BR", "zh-Hant-TW"), stored in its canonical case.</summary>
    public static string? Locale(string? input, FieldErrors errors)
    {
        if (input is null || input.Length == 0)
        {
            return null;
        }

        var tag = input.Trim().Replace('_', '-');
        if (tag.Length > MaxLocale || !LanguagePattern().IsMatch(tag))
        {
            errors.Add("locale", "Use a language tag such as en, sv, ar or pt-BR.");
            return null;
        }

        var parts = tag.Split('-');
        parts[0] = parts[0].ToLowerInvariant();
        for (var i = 1; i < parts.Length; i++)
        {
            parts[i] = parts[i].Length switch
            {
                2 => parts[i].ToUpperInvariant(),
                4 => char.ToUpperInvariant(parts[i][0]) + parts[i][1..].ToLowerInvariant(),
                _ => parts[i].ToLowerInvariant(),
            };
        }

        return string.Join('-', parts);
    }

    /// <summary>An IANA time zone id ("Europe/Stockholm", "UTC") known to this machine's time zone database.</summary>
    public static string? TimeZone(string? input, FieldErrors errors)
    {
        if (input is null || input.Length == 0)
        {
            return null;
        }

        var id = input.Trim();
        // Windows ids ("W. Europe Standard Time") are found too on Linux; only IANA ids are portable between nodes.
        if (id.Length > MaxTimeZone || !TimeZoneIdPattern().IsMatch(id)
            || !TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) || !zone.HasIanaId)
        {
            errors.Add("timeZone", "Use an IANA time zone such as Europe/Stockholm, Asia/Bangkok or UTC.");
            return null;
        }

        return zone.Id;
    }

    /// <summary>
    /// Property names: letters, digits, '_', '.', '-' (1 to 64). Values: one line of at most 256 characters; a null or
    /// blank value is kept as null, meaning "remove this property" when merged into a contact.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> Properties(IReadOnlyDictionary<string, string>? input, FieldErrors errors)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (input is null)
        {
            return result;
        }

        if (input.Count > MaxProperties)
        {
            errors.Add("properties", $"Use at most {MaxProperties} properties (got {input.Count}).");
            return result;
        }

        foreach (var (key, value) in input)
        {
            if (!TextInput.IsPropertyKey(key))
            {
                errors.Add("properties", $"'{Printable(key)}' is not a property name: use letters, digits, '_', '.' or '-' (1 to 64 characters).");
                continue;
            }

            result[key] = TextInput.Line(value, $"properties.{key}", TextInput.MaxPropertyValueCharacters, errors);
        }

        return result;
    }

    /// <summary>The contact's properties after applying <paramref name="changes"/>; errors when the result has too many.</summary>
    public static Dictionary<string, string> Merge(IReadOnlyDictionary<string, string> current, IReadOnlyDictionary<string, string?> changes, FieldErrors errors)
    {
        var merged = new Dictionary<string, string>(current, StringComparer.Ordinal);
        foreach (var (key, value) in changes)
        {
            if (value is null)
            {
                merged.Remove(key);
            }
            else
            {
                merged[key] = value;
            }
        }

        if (merged.Count > MaxProperties)
        {
            errors.Add("properties", $"A contact has at most {MaxProperties} properties; this change would give it {merged.Count}.");
        }

        return merged;
    }

    private static string Printable(string key)
    {
        var shown = new string(key.Where(c => !char.IsControl(c) && !TextInput.IsBidiControl(c)).Take(64).ToArray());
        return shown.Length == 0 ? "(empty)" : shown;
    }

    [GeneratedRegex(@"[\s\-\.\(\)]")]
    private static partial Regex SeparatorPattern();

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$")]
    private static partial Regex E164Pattern();

    [GeneratedRegex("^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}$")]
    private static partial Regex LanguagePattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9_+\\-]*(/[A-Za-z0-9_+\\-]+){0,2}$")]
    private static partial Regex TimeZoneIdPattern();
}
