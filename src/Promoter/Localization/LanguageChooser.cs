using Microsoft.Net.Http.Headers;

namespace Promoter.Localization;

/// <summary>
/// Picks the respondent's language among those a survey offers: <c>?lang=</c>, then the contact's locale,
/// then the browser's <c>Accept-Language</c> (by quality), then the survey's default.
/// </summary>
public sealed class LanguageChooser(LocaleCatalog catalog)
{
    public Locale Choose(IReadOnlyCollection<string> offered, string defaultLanguage, string? requested, string? contactLocale, string? acceptLanguage)
    {
        foreach (var candidate in Candidates(requested, contactLocale, acceptLanguage))
        {
            if (catalog.Match(candidate) is { } code && offered.Contains(code, StringComparer.OrdinalIgnoreCase))
            {
                return catalog.Get(code);
            }
        }

        return catalog.Get(catalog.Match(defaultLanguage) ?? LocaleCatalog.Fallback);
    }

    private static IEnumerable<string?> Candidates(string? requested, string? contactLocale, string? acceptLanguage)
    {
        yield return requested;
        yield return contactLocale;
        if (acceptLanguage is { Length: > 0 and < 1000 } && StringWithQualityHeaderValue.TryParseList([acceptLanguage], out var parsed))
        {
            foreach (var value in parsed.Where(v => v.Quality is null or > 0).OrderByDescending(v => v.Quality ?? 1))
            {
                yield return value.Value.Value;
            }
        }
    }
}
