using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Primitives;
using Promoter.Core;
using Promoter.Localization;
using Promoter.Platform;
using Promoter.Surveys;

namespace Promoter.Collect.Respondent;

public enum FormStep
{
    /// <summary>Step 1 without JavaScript: the score alone, recorded at once.</summary>
    Score,

    /// <summary>The whole answer: score, "why?" and the additional questions.</summary>
    Submit,
}

/// <summary>
/// A survey form as posted, checked field by field. Every rejection names its field (<c>score</c>, <c>comment</c>,
/// <c>q.{questionId}</c>, <c>step</c>) with a message in the respondent's language; the raw values are kept so the
/// page can be shown again as it was filled in.
/// </summary>
public sealed class PostedAnswers
{
    public const string TicketField = "t";
    public const string HoneypotField = "website";
    public const string StepField = "step";
    public const string ScoreField = "score";
    public const string CommentField = "comment";
    public const string QuestionPrefix = "q.";
    public const int MaxTextAnswer = 1_000;

    public FormStep Step { get; private init; } = FormStep.Submit;
    public Score? Score { get; private init; }
    public string? Comment { get; private set; }
    public string? RawComment { get; private init; }
    public string? AnswersJson { get; private set; }
    public string? Ticket { get; private init; }
    public bool HoneypotFilled { get; private init; }
    public Dictionary<string, string[]> RawAnswers { get; } = new(StringComparer.Ordinal);
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);
    public bool IsValid => Errors.Count == 0;

    public static PostedAnswers Read(IFormCollection form, SurveyDefinition definition, Locale locale)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var step = Single(form, StepField, errors, locale) switch
        {
            null or "submit" => FormStep.Submit,
            "score" => FormStep.Score,
            _ => Invalid(errors, StepField, locale.Text("survey.error.generic"), FormStep.Submit),
        };

        Score? score = null;
        var scoreValues = form[ScoreField];
        if (scoreValues.Count == 1 && Core.Score.TryParse(scoreValues[0], out var parsed))
        {
            score = parsed;
        }
        else
        {
            errors[ScoreField] = locale.Text("survey.error.score_required");
        }

        var posted = new PostedAnswers
        {
            Step = step,
            Score = score,
            RawComment = form[CommentField].Count == 1 ? form[CommentField][0] : null,
            Ticket = form[TicketField].Count == 1 ? form[TicketField][0] : null,
            HoneypotFilled = form[HoneypotField].Any(v => !string.IsNullOrEmpty(v)),
        };
        foreach (var (field, message) in errors)
        {
            posted.Errors[field] = message;
        }

        foreach (var (key, values) in form)
        {
            if (key.StartsWith(QuestionPrefix, StringComparison.Ordinal))
            {
                posted.RawAnswers[key[QuestionPrefix.Length..]] = [.. values.Select(v => v ?? "")];
            }
        }

        if (step == FormStep.Submit)
        {
            posted.ReadComment(form[CommentField], locale);
            if (score is { } s)
            {
                posted.ReadAnswers(definition, s.Category, locale);
            }
        }

        return posted;
    }

    private void ReadComment(StringValues values, Locale locale)
    {
        if (values.Count > 1)
        {
            Errors[CommentField] = locale.Text("survey.error.answer_invalid");
            return;
        }

        try
        {
            Comment = TextInput.Clean(values.Count == 1 ? values[0] : null, multiline: true);
        }
        catch (FormatException)
        {
            Errors[CommentField] = locale.Text("survey.error.answer_invalid");
            return;
        }

        if (Comment is not null && (TextInput.PerceivedLength(Comment) > TextInput.MaxCommentCharacters
                                    || Encoding.UTF8.GetByteCount(Comment) > TextInput.MaxCommentBytes))
        {
            Errors[CommentField] = locale.Text("survey.error.comment_too_long", ("max", TextInput.MaxCommentCharacters.ToString(locale.Culture)));
        }
    }

    private void ReadAnswers(SurveyDefinition definition, NpsCategory category, Locale locale)
    {
        foreach (var id in RawAnswers.Keys.Where(id => !definition.Questions.Any(q => q.Id == id)))
        {
            Errors[QuestionPrefix + id] = locale.Text("survey.error.answer_invalid");
        }

        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            // Questions for another category are not on the respondent's page (the score may have changed since); their values are dropped.
            foreach (var question in definition.Questions.Where(q => q.IsShownTo(category)))
            {
                var field = QuestionPrefix + question.Id;
                var values = RawAnswers.TryGetValue(question.Id, out var v) ? v.Where(x => x.Length > 0).ToArray() : [];
                if (values.Length == 0)
                {
                    if (question.Required)
                    {
                        Errors[field] = locale.Text("common.required");
                    }

                    continue;
                }

                if (!WriteAnswer(json, question, values))
                {
                    Errors[field] = locale.Text("survey.error.answer_invalid");
                }
            }

            json.WriteEndObject();
        }

        var written = Encoding.UTF8.GetString(buffer.ToArray());
        AnswersJson = written == "{}" ? null : written;
    }

    private static bool WriteAnswer(Utf8JsonWriter json, AdditionalQuestion question, string[] values)
    {
        switch (question.Type)
        {
            case QuestionType.Text:
                string? text;
                try
                {
                    text = values.Length == 1 ? TextInput.Clean(values[0], multiline: true) : null;
                }
                catch (FormatException)
                {
                    return false;
                }

                if (text is null || TextInput.PerceivedLength(text) > MaxTextAnswer)
                {
                    return false;
                }

                json.WriteString(question.Id, text);
                return true;
            case QuestionType.Scale:
                if (values.Length != 1 || !TryParseSmallInteger(values[0], out var number) || number < question.ScaleMin || number > question.ScaleMax)
                {
                    return false;
                }

                json.WriteNumber(question.Id, number);
                return true;
            case QuestionType.SingleChoice:
                if (values.Length != 1 || !question.Options.Any(o => o.Id == values[0]))
                {
                    return false;
                }

                json.WriteString(question.Id, values[0]);
                return true;
            case QuestionType.MultipleChoice:
                if (values.Distinct(StringComparer.Ordinal).Count() != values.Length || !values.All(v => question.Options.Any(o => o.Id == v)))
                {
                    return false;
                }

                json.WriteStartArray(question.Id);
                foreach (var option in question.Options.Where(o => values.Contains(o.Id)))
                {
                    json.WriteStringValue(option.Id);
                }

                json.WriteEndArray();
                return true;
            default:
                return false;
        }
    }

    // Like the NPS score: ASCII digits, no sign, no leading zero, no decimals ("3.0", "+3", "03" and "٣" are refused).
    private static bool TryParseSmallInteger(string text, out int value)
    {
        value = -1;
        return text.Length is 1 or 2 && (text.Length == 1 || text[0] != '0') && text.All(char.IsAsciiDigit)
               && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static string? Single(IFormCollection form, string field, Dictionary<string, string> errors, Locale locale)
    {
        var values = form[field];
        if (values.Count > 1)
        {
            errors[field] = locale.Text("survey.error.generic");
            return null;
        }

        return values.Count == 1 ? values[0] : null;
    }

    private static T Invalid<T>(Dictionary<string, string> errors, string field, string message, T fallback)
    {
        errors[field] = message;
        return fallback;
    }
}
