using Promoter.Core;
using Promoter.Localization;
using Promoter.Surveys;

namespace Promoter.Collect.Respondent;

public enum PageStep
{
    /// <summary>The 0..10 scale; the "why?" waits below, revealed by script or shown after the score is posted.</summary>
    Score,

    /// <summary>Score chosen: the category's "why?", its additional questions and Submit.</summary>
    Details,

    Thanks,

    /// <summary>Only a message: not found, closed, no longer editable, too many attempts.</summary>
    Message,
}

/// <summary>How the page was reached: which link, in which mode, in which language it was asked for.</summary>
public sealed record RespondentLink(string Path, string? Lang, bool Kiosk, bool Embed)
{
    /// <summary>The signed widget session (<c>w=</c>) an embedded page carries from post to post.</summary>
    public string? Widget { get; init; }

    public bool IsPersonal => Path.StartsWith("/r/", StringComparison.Ordinal);

    /// <summary>The link again with other parameters; null values are left out.</summary>
    public string With(string? lang, int? score = null)
    {
        var query = new List<string>();
        if (lang is not null)
        {
            query.Add("lang=" + Uri.EscapeDataString(lang));
        }

        if (Kiosk)
        {
            query.Add("kiosk=1");
        }

        if (Embed)
        {
            query.Add("embed=1");
            if (Widget is not null)
            {
                query.Add("w=" + Uri.EscapeDataString(Widget));
            }
        }

        if (score is { } s)
        {
            query.Add("score=" + s.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        return query.Count == 0 ? Path : Path + "?" + string.Join('&', query);
    }
}

public sealed record LanguageLink(string Code, string NativeName, string Href, bool Current);

public sealed record OptionView(string Id, string Label);

/// <summary>An additional question as the respondent sees it, with the categories it is for (empty: everyone).</summary>
public sealed record QuestionView(string Id, QuestionType Type, string Label, bool Required, IReadOnlyList<NpsCategory> ShowTo,
    IReadOnlyList<OptionView> Options, int ScaleMin, int ScaleMax)
{
    public string Field => PostedAnswers.QuestionPrefix + Id;
    public string ShowToAttribute => string.Join(' ', ShowTo.Select(c => c.ToString().ToLowerInvariant()));
    public bool IsShownTo(NpsCategory? category) => category is { } c && (ShowTo.Count == 0 || ShowTo.Contains(c));
}

/// <summary>Everything the respondent page renders. Texts are plain: the templates encode them.</summary>
public sealed class SurveyView
{
    public required Locale Locale { get; init; }
    public required string Nonce { get; init; }
    public required string Title { get; init; }
    public required PageStep Step { get; set; }
    public required string BrandName { get; init; }
    public string? LogoUrl { get; init; }
    public string? PrimaryColor { get; init; }
    public bool Kiosk { get; init; }
    public bool Embed { get; init; }
    public IReadOnlyList<string> EmbedOrigins { get; init; } = [];
    public IReadOnlyList<LanguageLink> Languages { get; init; } = [];

    // The form
    public string FormAction { get; init; } = "";
    public string? Ticket { get; set; }
    public bool Honeypot { get; init; }
    public string Question { get; init; } = "";
    public int? Score { get; set; }
    public NpsCategory? Category => Score is { } s ? NpsCategories.Of(s) : null;
    public IReadOnlyDictionary<NpsCategory, string> Why { get; init; } = new Dictionary<NpsCategory, string>();
    public IReadOnlyList<QuestionView> Questions { get; init; } = [];
    public string? Comment { get; set; }
    public IReadOnlyDictionary<string, string[]> Answers { get; set; } = new Dictionary<string, string[]>();
    public IReadOnlyDictionary<string, string> Errors { get; set; } = new Dictionary<string, string>();

    /// <summary>A message about the whole form (too fast, too large, not editable any more).</summary>
    public string? Alert { get; set; }

    /// <summary>Where the page's script sends a provisional score (personal links with implicit capture).</summary>
    public string? ProvisionalUrl { get; set; }

    /// <summary>Anonymous links: the script records the score as soon as it is chosen, as step 1 does without script.</summary>
    public bool RecordScoreEarly { get; init; }

    public string? EditUntil { get; set; }

    // Thank-you and messages
    public string? Message { get; set; }
    public string? ThankYouHref { get; set; }
    public string? ThankYouText { get; set; }
    public string? EchoComment { get; set; }
    public string? EditHref { get; set; }
    public string? RestartHref { get; set; }
    public int RestartSeconds { get; init; } = 8;

    public string Text(string key) => Locale.Text(key);

    public string ScaleName(int score) => score switch
    {
        0 => Locale.Text("survey.scale.aria.low"),
        10 => Locale.Text("survey.scale.aria.high"),
        _ => score.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public string? ErrorFor(string field) => Errors.TryGetValue(field, out var message) ? message : null;

    public bool IsChosen(string questionId, string value) =>
        Answers.TryGetValue(questionId, out var values) && values.Contains(value, StringComparer.Ordinal);

    public string? AnswerText(string questionId) => Answers.TryGetValue(questionId, out var values) && values.Length > 0 ? values[0] : null;

    /// <summary>Text for buttons drawn in the brand colour: black or white, whichever reads better on it.</summary>
    public string OnPrimary
    {
        get
        {
            if (PrimaryColor is not { Length: 7 } c)
            {
                return "#fff";
            }

            double Channel(int at)
            {
                var v = Convert.ToInt32(c.Substring(at, 2), 16) / 255.0;
                return v <= 0.03928 ? v / 12.92 : Math.Pow((v + 0.055) / 1.055, 2.4);
            }

            var luminance = (0.2126 * Channel(1)) + (0.7152 * Channel(3)) + (0.0722 * Channel(5));
            return luminance > 0.179 ? "#111" : "#fff";
        }
    }
}
