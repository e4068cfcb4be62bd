using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Promoter.Core;
using Promoter.Localization;
using Promoter.Surveys;

namespace Promoter.Collect.Respondent;

/// <summary>Turns a survey, a language and a step into a <see cref="SurveyView"/>: the survey's own wording where it has some, the locale's otherwise.</summary>
public sealed partial class SurveyViews(FormTickets tickets, LanguageChooser chooser, LocaleCatalog catalog)
{
    public Locale LanguageFor(HttpContext http, RespondentTarget target, RespondentLink link) =>
        chooser.Choose(target.Survey.LanguageList, target.Survey.DefaultLanguage, link.Lang,
            target.Invitation?.Language ?? target.ContactLocale, http.Request.Headers.AcceptLanguage.ToString());

    /// <summary>The page for a link that leads nowhere, in the best language the browser asks for.</summary>
    public SurveyView NotFound(HttpContext http, RespondentLink link)
    {
        var locale = chooser.Choose([.. catalog.All.Select(l => l.Code)], LocaleCatalog.Fallback, link.Lang, null, http.Request.Headers.AcceptLanguage.ToString());
        return new SurveyView
        {
            Locale = locale,
            Nonce = NewNonce(),
            Title = locale.Text("survey.error.not_found"),
            BrandName = "",
            Step = PageStep.Message,
            Message = locale.Text("survey.error.not_found"),
            Embed = link.Embed,
        };
    }

    public SurveyView Form(RespondentTarget target, Locale locale, RespondentLink link, FormTicket ticket, bool offerLanguages)
    {
        var survey = target.Survey;
        var definition = target.Definition;
        var custom = definition.Texts.GetValueOrDefault(locale.Code);
        var brand = ("brand", (string?)target.BrandName);
        return new SurveyView
        {
            Locale = locale,
            Nonce = NewNonce(),
            Title = locale.Text("survey.page_title", brand),
            Step = PageStep.Score,
            BrandName = target.BrandName,
            LogoUrl = link.Embed ? null : definition.LogoUrl,
            PrimaryColor = IsColor(definition.PrimaryColor) ? definition.PrimaryColor : null,
            Kiosk = link.Kiosk,
            Embed = link.Embed,
            EmbedOrigins = link.Embed ? [.. definition.AllowedOrigins.Where(IsOrigin)] : [],
            Languages = offerLanguages && !link.Embed && survey.LanguageList.Count > 1
                ? [.. survey.LanguageList.Select(code => catalog.Get(code)).Select(l => new LanguageLink(l.Code, l.NativeName, link.With(l.Code), l.Code == locale.Code))]
                : [],
            FormAction = link.With(locale.Code),
            Ticket = tickets.Protect(ticket),
            Honeypot = target.Invitation is null,
            RecordScoreEarly = target.Invitation is null,
            Question = locale.Text("survey.question", brand),
            Why = new Dictionary<NpsCategory, string>
            {
                [NpsCategory.Detractor] = custom?.WhyDetractor ?? locale.Text("survey.why.detractor", brand),
                [NpsCategory.Passive] = custom?.WhyPassive ?? locale.Text("survey.why.passive", brand),
                [NpsCategory.Promoter] = custom?.WhyPromoter ?? locale.Text("survey.why.promoter", brand),
            },
            Questions = [.. definition.Questions.Select(q => Question(q, locale.Code, survey.DefaultLanguage))],
        };
    }

    /// <summary>Switches <paramref name="view"/> to the thank-you for <paramref name="score"/>.</summary>
    public static void Thanks(SurveyView view, RespondentTarget target, int score, string? comment, DateTime createdAt, RespondentLink link)
    {
        var locale = view.Locale;
        var category = NpsCategories.Of(score);
        var custom = target.Definition.Texts.GetValueOrDefault(locale.Code);
        var brand = ("brand", (string?)target.BrandName);
        view.Step = PageStep.Thanks;
        view.Score = score;
        view.Message = category switch
        {
            NpsCategory.Detractor => custom?.ThanksDetractor ?? locale.Text("survey.thanks.detractor", brand),
            NpsCategory.Passive => custom?.ThanksPassive ?? locale.Text("survey.thanks.passive", brand),
            _ => custom?.ThanksPromoter ?? locale.Text("survey.thanks.promoter", brand),
        };
        if (target.Definition.ThankYouLinks.TryGetValue(category, out var href))
        {
            view.ThankYouHref = href;
            view.ThankYouText = custom?.ThankYouLinkText ?? locale.Text("survey.thanks.link");
        }

        if (link.Kiosk)
        {
            // A shared device: the next person must not see this answer, and gets a fresh page shortly.
            view.RestartHref = link.With(link.Lang);
            return;
        }

        view.EchoComment = comment;
        if (target.Invitation is not null && target.Survey.EditWindowDays > 0)
        {
            view.EditUntil = EditUntilText(locale, createdAt, target.Survey.EditWindowDays);
            view.EditHref = link.With(locale.Code);
        }
    }

    public static string EditUntilText(Locale locale, DateTime createdAt, int editWindowDays) =>
        locale.Text("survey.edit_until", ("date", AnswerRecorder.EditableUntil(createdAt, editWindowDays).ToString("D", locale.Culture)));

    /// <summary>The stored answers JSON as the form's raw values, to show a returning respondent what they said.</summary>
    public static Dictionary<string, string[]> RawAnswers(string? json)
    {
        var result = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (json is null || JsonNode.Parse(json) is not JsonObject answers)
        {
            return result;
        }

        foreach (var (id, value) in answers)
        {
            result[id] = value switch
            {
                JsonArray list => [.. list.Select(v => v?.ToString() ?? "")],
                null => [],
                _ => [value.ToString()],
            };
        }

        return result;
    }

    private static QuestionView Question(AdditionalQuestion q, string language, string defaultLanguage) => new(
        q.Id, q.Type, Pick(q.Label, language, defaultLanguage), q.Required, q.ShowTo,
        [.. q.Options.Select(o => new OptionView(o.Id, Pick(o.Label, language, defaultLanguage)))], q.ScaleMin, q.ScaleMax);

    private static string Pick(Dictionary<string, string> texts, string language, string defaultLanguage) =>
        texts.GetValueOrDefault(language) ?? texts.GetValueOrDefault(defaultLanguage) ?? texts.Values.FirstOrDefault() ?? "";

    // Origins go into the CSP header: whatever the database holds, only scheme://host[:port] may.
    private static bool IsOrigin(string value) => OriginPattern().IsMatch(value);

    // The colour goes into a style sheet: only a strict #rrggbb may, whatever the database holds.
    private static bool IsColor(string? value) => value is { Length: 7 } && value[0] == '#' && value.Skip(1).All(char.IsAsciiHexDigit);

    /// <summary>128 random bits in base64url: valid in a CSP nonce and needing no escaping in an HTML attribute.</summary>
    public static string NewNonce() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    public static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    [System.Text.RegularExpressions.GeneratedRegex("^https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?$")]
    private static partial System.Text.RegularExpressions.Regex OriginPattern();
}
