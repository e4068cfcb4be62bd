using System.Text.RegularExpressions;
using Promoter.Core;
using Promoter.Localization;
using Promoter.Platform;

namespace Promoter.Surveys;

/// <summary>Validates a <see cref="SurveyInput"/> and applies it to a survey. Shared by the API and the dashboard.</summary>
public sealed partial class SurveyEditor(LocaleCatalog locales, TimeProvider clock)
{
    public const int MaxQuestions = 20;
    public const int MaxOptions = 30;
    public const int MaxText = 500;

    public Survey Create(SurveyInput input)
    {
        var now = clock.GetUtcNow();
        var survey = new Survey { Id = Guid.CreateVersion7(now), Name = "", BrandName = "", CreatedAt = now.UtcDateTime };
        Apply(survey, input);
        return survey;
    }

    public void Apply(Survey survey, SurveyInput input)
    {
        var errors = new FieldErrors();
        var name = TextInput.Line(input.Name, "name", 200, errors);
        var brand = TextInput.Line(input.BrandName, "brandName", 200, errors);
        if (name is null)
        {
            errors.Add("name", "Name the survey (1 to 200 characters).");
        }

        if (brand is null)
        {
            errors.Add("brandName", "Give the brand or product the question asks about.");
        }

        var languages = Languages(input, errors);
        var defaultLanguage = locales.Match(input.DefaultLanguage) ?? (input.DefaultLanguage is null ? languages.FirstOrDefault() : null);
        if (defaultLanguage is null || !languages.Contains(defaultLanguage))
        {
            errors.Add("defaultLanguage", "The default language must be one of the survey's languages.");
        }

        var definition = new SurveyDefinition
        {
            Texts = Texts(input.Texts, languages, errors),
            Questions = Questions(input.Questions, languages, defaultLanguage, errors),
            ThankYouLinks = Links(input.ThankYouLinks, errors),
            PrimaryColor = Color(input.PrimaryColor, errors),
            LogoUrl = Url(input.LogoUrl, "logoUrl", httpsOnly: true, errors),
            AllowedOrigins = Origins(input.AllowedOrigins, errors),
        };

        Range(input.ThrottleDays, "throttleDays", 0, 3650, errors);
        Range(input.ReminderDays, "reminderDays", 1, 60, errors);
        Range(input.EditWindowDays, "editWindowDays", 0, 90, errors);
        errors.ThrowIfAny();

        survey.Name = name!;
        survey.BrandName = brand!;
        survey.Kind = input.Kind ?? SurveyKind.Relationship;
        survey.IsClosed = input.Closed;
        survey.Languages = string.Join(',', languages);
        survey.DefaultLanguage = defaultLanguage!;
        survey.WriteDefinition(definition);
        survey.ThrottleDays = input.ThrottleDays;
        survey.ReminderDays = input.ReminderDays;
        survey.EditWindowDays = input.EditWindowDays ?? 7;
        survey.ScoreCapture = input.ScoreCapture ?? ScoreCapture.Implicit;
        survey.Anonymous = input.Anonymous;
        survey.UpdatedAt = clock.GetUtcNow().UtcDateTime;
    }

    private List<string> Languages(SurveyInput input, FieldErrors errors)
    {
        var requested = input.Languages ?? (input.DefaultLanguage is { } d ? [d] : [LocaleCatalog.Fallback]);
        var languages = new List<string>();
        foreach (var code in requested)
        {
            if (locales.Match(code) is { } known && string.Equals(known, code, StringComparison.OrdinalIgnoreCase))
            {
                if (!languages.Contains(known))
                {
                    languages.Add(known);
                }
            }
            else
            {
                errors.Add("languages", $"'{Truncate(code)}' is not an available language ({string.Join(", ", locales.All.Select(l => l.Code).Order())}).");
            }
        }

        if (requested.Count == 0)
        {
            errors.Add("languages", "Offer at least one language.");
        }

        return languages;
    }

    private static Dictionary<string, SurveyTexts> Texts(Dictionary<string, SurveyTexts>? input, List<string> languages, FieldErrors errors)
    {
        var result = new Dictionary<string, SurveyTexts>(StringComparer.Ordinal);
        foreach (var (language, texts) in input ?? [])
        {
            if (!languages.Contains(language))
            {
                errors.Add($"texts.{Truncate(language)}", "Texts are for the survey's languages only.");
                continue;
            }

            string? Clean(string? value, string field) => TextInput.Line(value, $"texts.{language}.{field}", MaxText, errors);
            result[language] = new SurveyTexts
            {
                WhyDetractor = Clean(texts.WhyDetractor, "whyDetractor"),
                WhyPassive = Clean(texts.WhyPassive, "whyPassive"),
                WhyPromoter = Clean(texts.WhyPromoter, "whyPromoter"),
                ThanksDetractor = Clean(texts.ThanksDetractor, "thanksDetractor"),
                ThanksPassive = Clean(texts.ThanksPassive, "thanksPassive"),
                ThanksPromoter = Clean(texts.ThanksPromoter, "thanksPromoter"),
                ThankYouLinkText = Clean(texts.ThankYouLinkText, "thankYouLinkText"),
            };
        }

        return result;
    }

    private static List<AdditionalQuestion> Questions(List<AdditionalQuestion>? input, List<string> languages, string? defaultLanguage, FieldErrors errors)
    {
        var result = new List<AdditionalQuestion>();
        if (input is null)
        {
            return result;
        }

        if (input.Count > MaxQuestions)
        {
            errors.Add("questions", $"Use at most {MaxQuestions} additional questions.");
            return result;
        }

        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < input.Count; i++)
        {
            var q = input[i];
            var field = $"questions[{i}]";
            if (q.Id is null || !IdPattern().IsMatch(q.Id) || !ids.Add(q.Id))
            {
                errors.Add($"{field}.id", "Give each question a unique id of letters, digits, '-' or '_' (1 to 40).");
            }

            var label = Labels(q.Label, languages, defaultLanguage, $"{field}.label", errors);
            var options = new List<QuestionOption>();
            if (q.Type is QuestionType.SingleChoice or QuestionType.MultipleChoice)
            {
                if (q.Options.Count is < 2 or > MaxOptions)
                {
                    errors.Add($"{field}.options", $"A choice question needs 2 to {MaxOptions} options.");
                }

                var optionIds = new HashSet<string>(StringComparer.Ordinal);
                for (var j = 0; j < q.Options.Count; j++)
                {
                    var o = q.Options[j];
                    if (o.Id is null || !IdPattern().IsMatch(o.Id) || !optionIds.Add(o.Id))
                    {
                        errors.Add($"{field}.options[{j}].id", "Give each option a unique id of letters, digits, '-' or '_'.");
                    }

                    options.Add(new QuestionOption { Id = o.Id ?? "", Label = Labels(o.Label, languages, defaultLanguage, $"{field}.options[{j}].label", errors) });
                }
            }
            else if (q.Options.Count > 0)
            {
                errors.Add($"{field}.options", "Only choice questions have options.");
            }

            if (q.Type == QuestionType.Scale && (q.ScaleMin < 0 || q.ScaleMax > 10 || q.ScaleMin >= q.ScaleMax))
            {
                errors.Add($"{field}.scaleMax", "A scale runs from a smaller to a larger whole number within 0 to 10.");
            }

            if (!Enum.IsDefined(q.Type))
            {
                errors.Add($"{field}.type", "Use text, scale, singleChoice or multipleChoice.");
            }

            result.Add(q with { Label = label, Options = options, ShowTo = [.. q.ShowTo.Distinct()] });
        }

        return result;
    }

    private static Dictionary<string, string> Labels(Dictionary<string, string>? input, List<string> languages, string? defaultLanguage, string field, FieldErrors errors)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (language, text) in input ?? [])
        {
            if (!languages.Contains(language))
            {
                errors.Add(field, $"'{Truncate(language)}' is not one of the survey's languages.");
                continue;
            }

            if (TextInput.Line(text, $"{field}.{language}", MaxText, errors) is { } cleaned)
            {
                result[language] = cleaned;
            }
        }

        if (defaultLanguage is not null && !result.ContainsKey(defaultLanguage))
        {
            errors.Add(field, $"Write it at least in the default language ({defaultLanguage}).");
        }

        return result;
    }

    private static Dictionary<NpsCategory, string> Links(Dictionary<NpsCategory, string>? input, FieldErrors errors)
    {
        var result = new Dictionary<NpsCategory, string>();
        foreach (var (category, url) in input ?? [])
        {
            if (Url(url, $"thankYouLinks.{category.ToString().ToLowerInvariant()}", httpsOnly: false, errors) is { } valid)
            {
                result[category] = valid;
            }
        }

        return result;
    }

    internal static string? Url(string? input, string field, bool httpsOnly, FieldErrors errors)
    {
        if (string.IsNullOrWhiteSpace(input))
        {
            return null;
        }

        var ok = input.Length <= 2000
                 && Uri.TryCreate(input.Trim(), UriKind.Absolute, out var uri)
                 && (uri.Scheme == Uri.UriSchemeHttps || (!httpsOnly && uri.Scheme == Uri.UriSchemeHttp))
                 && uri.UserInfo.Length == 0;
        if (!ok)
        {
            errors.Add(field, httpsOnly ? "Use an https:// URL." : "Use an http:// or https:// URL.");
            return null;
        }

        return input.Trim();
    }

    private static List<string> Origins(List<string>? input, FieldErrors errors)
    {
        var result = new List<string>();
        foreach (var origin in input ?? [])
        {
            if (origin is { Length: <= 200 } && Uri.TryCreate(origin, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
                && uri.AbsolutePath == "/" && uri.Query.Length == 0 && uri.Fragment.Length == 0 && uri.UserInfo.Length == 0
                && !origin.TrimEnd('/').EndsWith('/'))
            {
                var normalized = uri.GetLeftPart(UriPartial.Authority);
                if (!result.Contains(normalized))
                {
                    result.Add(normalized);
                }
            }
            else
            {
                errors.Add("allowedOrigins", $"'{Truncate(origin ?? "")}' is not an origin like https://shop.example.com (scheme, host, optional port; no path).");
            }
        }

        if (result.Count > 50)
        {
            errors.Add("allowedOrigins", "Use at most 50 origins.");
        }

        return result;
    }

    private static string? Color(string? input, FieldErrors errors)
    {
        if (string.IsNullOrEmpty(input))
        {
            return null;
        }

        if (!ColorPattern().IsMatch(input))
        {
            errors.Add("primaryColor", "Use a colour like #2457d6.");
            return null;
        }

        return input.ToLowerInvariant();
    }

    private static void Range(int? value, string field, int min, int max, FieldErrors errors)
    {
        if (value is { } v && (v < min || v > max))
        {
            errors.Add(field, $"Use {min} to {max}.");
        }
    }

    private static string Truncate(string value) => value.Length > 40 ? value[..40] + "…" : value;

    [GeneratedRegex("^[A-Za-z0-9_-]{1,40}$")]
    private static partial Regex IdPattern();

    [GeneratedRegex("^#[0-9A-Fa-f]{6}$")]
    private static partial Regex ColorPattern();
}
