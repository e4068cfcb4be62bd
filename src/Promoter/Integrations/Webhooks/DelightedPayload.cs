using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform;
using Promoter.Surveys;

namespace Promoter.Integrations.Webhooks;

/// <summary>
/// Delighted's webhook body, so receivers written for Delighted keep working:
/// <c>{"event_type":"survey_response.created","event_id":…,"event_data":{survey response with its person}}</c>.
/// Ids are strings and times Unix seconds, as in Delighted's API; <c>resource_version</c> is Promoter's addition.
/// </summary>
public static class DelightedPayload
{
    public static async Task<string> RenderAsync(WebhookEvent e, WebhookPayloads.ResponseSnapshot snapshot, PromoterDb db, CancellationToken ct)
    {
        var r = snapshot.Response;
        var survey = await db.Surveys.AsNoTracking().Where(s => s.Id == r.SurveyId).Select(s => new { s.Definition, s.DefaultLanguage }).SingleOrDefaultAsync(ct);
        var definition = (survey is null ? null : JsonSerializer.Deserialize(survey.Definition, SurveyJson.Default.SurveyDefinition)) ?? new SurveyDefinition();

        var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = WebhookJson.Options.Encoder }))
        {
            w.WriteStartObject();
            w.WriteString("event_type", WebhookEventTypes.DelightedName(e.Type));
            w.WriteString("event_id", e.MessageId);
            w.WriteStartObject("event_data");
            w.WriteString("id", r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            if (snapshot.Contact is { } c)
            {
                w.WriteStartObject("person");
                w.WriteString("id", c.Id.ToString());
                w.WriteString("email", c.Email);
                w.WriteString("name", c.Name);
                w.WriteNumber("created_at", Unix(c.CreatedAt));
                w.WriteEndObject();
            }
            else
            {
                w.WriteNull("person");
            }

            w.WriteString("survey_type", "nps");
            w.WriteNumber("score", r.Score);
            w.WriteString("comment", r.Comment);
            // Delighted linked to its dashboard; Promoter has no per-response page to link to.
            w.WriteNull("permalink");
            w.WriteNumber("created_at", Unix(r.CreatedAt));
            w.WriteNumber("updated_at", Unix(r.UpdatedAt));
            var properties = PropertyBags.Read(r.Properties);
            if (properties.Count == 0)
            {
                w.WriteNull("person_properties");
            }
            else
            {
                w.WritePropertyName("person_properties");
                JsonSerializer.Serialize(w, properties);
            }

            w.WriteStartArray("notes");
            w.WriteEndArray();
            w.WriteStartArray("tags");
            w.WriteEndArray();
            w.WriteStartArray("additional_answers");
            WriteAnswers(w, r.Answers, definition, r.Language, survey?.DefaultLanguage ?? "en");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteNumber("resource_version", snapshot.Version);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static long Unix(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeSeconds();

    /// <summary>Each answer as Delighted's <c>{id, value:{free_response, scale, select_one, select_many}, question:{id, type, text}}</c>.</summary>
    internal static void WriteAnswers(Utf8JsonWriter w, string? answersJson, SurveyDefinition definition, string language, string defaultLanguage)
    {
        if (answersJson is null)
        {
            return;
        }

        using var answers = JsonDocument.Parse(answersJson);
        foreach (var answer in answers.RootElement.EnumerateObject())
        {
            if (definition.Questions.FirstOrDefault(q => q.Id == answer.Name) is not { } question)
            {
                continue;
            }

            w.WriteStartObject();
            w.WriteString("id", question.Id);
            w.WriteStartObject("value");
            WriteOrNull(w, "free_response", question.Type == QuestionType.Text && answer.Value.ValueKind == JsonValueKind.String, () => w.WriteStringValue(answer.Value.GetString()));
            WriteOrNull(w, "scale", question.Type == QuestionType.Scale && answer.Value.ValueKind == JsonValueKind.Number, () => w.WriteNumberValue(answer.Value.GetInt32()));
            WriteOrNull(w, "select_one", question.Type == QuestionType.SingleChoice && answer.Value.ValueKind == JsonValueKind.String,
                () => WriteOption(w, question, answer.Value.GetString()!, language, defaultLanguage));
            WriteOrNull(w, "select_many", question.Type == QuestionType.MultipleChoice && answer.Value.ValueKind == JsonValueKind.Array, () =>
            {
                w.WriteStartArray();
                foreach (var option in answer.Value.EnumerateArray().Where(o => o.ValueKind == JsonValueKind.String))
                {
                    WriteOption(w, question, option.GetString()!, language, defaultLanguage);
                }

                w.WriteEndArray();
            });
            w.WriteEndObject();
            w.WriteStartObject("question");
            w.WriteString("id", question.Id);
            w.WriteString("type", question.Type switch
            {
                QuestionType.Text => "free_response",
                QuestionType.Scale => "scale",
                QuestionType.SingleChoice => "select_one",
                _ => "select_many",
            });
            w.WriteString("text", Label(question.Label, language, defaultLanguage));
            w.WriteEndObject();
            w.WriteEndObject();
        }
    }

    private static void WriteOrNull(Utf8JsonWriter w, string name, bool present, Action write)
    {
        w.WritePropertyName(name);
        if (present)
        {
            write();
        }
        else
        {
            w.WriteNullValue();
        }
    }

    private static void WriteOption(Utf8JsonWriter w, AdditionalQuestion question, string optionId, string language, string defaultLanguage)
    {
        w.WriteStartObject();
        w.WriteString("id", optionId);
        w.WriteString("text", question.Options.FirstOrDefault(o => o.Id == optionId) is { } option ? Label(option.Label, language, defaultLanguage) : optionId);
        w.WriteEndObject();
    }

    private static string Label(Dictionary<string, string> labels, string language, string defaultLanguage) =>
        labels.GetValueOrDefault(language) ?? labels.GetValueOrDefault(defaultLanguage) ?? labels.Values.FirstOrDefault() ?? "";
}
