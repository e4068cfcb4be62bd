using Microsoft.AspNetCore.Mvc.ModelBinding;
using Promoter.Core.Text;
using Promoter.Platform;

namespace Promoter.Understand.Pages;

/// <summary>The theme form of the pages: a name and one textarea per pipeline language, one word or phrase a line.</summary>
public sealed class ThemeForm
{
    public string? Name { get; set; }
    public Dictionary<string, string?> Terms { get; set; } = new(StringComparer.Ordinal);

    public string TermsOf(string language) => Terms.GetValueOrDefault(language) ?? "";

    public ThemeInput ToInput() => new(Name, Terms
        .Where(t => !string.IsNullOrWhiteSpace(t.Value))
        .ToDictionary(t => t.Key, t => t.Value!.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).ToList(), StringComparer.Ordinal));

    public static ThemeForm From(ThemeDto theme) => new()
    {
        Name = theme.Name,
        Terms = theme.Terms.ToDictionary(t => t.Key, t => (string?)string.Join('\n', t.Value), StringComparer.Ordinal),
    };

    /// <summary>A theme made of one term, named after it (the Why section's "Make a theme").</summary>
    public static ThemeForm FromTerm(string? term, string? language) => new()
    {
        Name = term,
        Terms = TextLanguages.IsSupported(language) ? new(StringComparer.Ordinal) { [language!] = term } : new(StringComparer.Ordinal),
    };

    /// <summary>The editor's field names → the form's: <c>name</c>, <c>terms</c>, and <c>terms.th[2]</c> to the Thai textarea.</summary>
    public static void AddErrors(ModelStateDictionary state, RequestValidationException e)
    {
        foreach (var (field, messages) in e.Errors)
        {
            var key = field switch
            {
                "name" => "Form.Name",
                "terms" => "Form.Terms",
                _ when field.StartsWith("terms.", StringComparison.Ordinal) && TextLanguages.IsSupported(field["terms.".Length..].Split('[')[0]) =>
                    $"Form.Terms[{field["terms.".Length..].Split('[')[0]}]",
                _ => "",
            };
            foreach (var message in messages)
            {
                state.AddModelError(key, message);
            }
        }
    }

    public static string LanguageName(string code) => code switch
    {
        TextLanguages.English => "English",
        TextLanguages.Swedish => "Swedish",
        TextLanguages.Macedonian => "Macedonian",
        TextLanguages.Arabic => "Arabic",
        TextLanguages.Thai => "Thai",
        _ => code,
    };
}
