using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Platform;
using Promoter.Surveys;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// Responses as Delighted's survey response objects. <c>created_at</c> is when the person answered (imported history
/// keeps its own time), <c>person</c> the contact id, or the person object with <c>expand[]=person</c>.
/// </summary>
public sealed class SurveyResponseJson(PromoterDb db)
{
    private readonly Dictionary<Guid, (SurveyDefinition Definition, string DefaultLanguage)> _surveys = [];

    public async Task<JsonArray> WriteAsync(IReadOnlyList<SurveyResponse> rows, bool expandPerson, bool expandNotes, CancellationToken ct)
    {
        var contactIds = rows.Where(r => r.ContactId is not null).Select(r => r.ContactId!.Value).Distinct().ToList();
        var contacts = expandPerson && contactIds.Count > 0
            ? await db.Contacts.AsNoTracking().Where(c => contactIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct)
            : [];
        var activity = expandPerson ? await PersonJson.ActivityAsync(db, contactIds, ct) : [];
        foreach (var surveyId in rows.Select(r => r.SurveyId).Distinct().Where(id => !_surveys.ContainsKey(id)).ToList())
        {
            var survey = await db.Surveys.AsNoTracking().Where(s => s.Id == surveyId).Select(s => new { s.Definition, s.DefaultLanguage }).SingleAsync(ct);
            _surveys[surveyId] = (JsonSerializer.Deserialize(survey.Definition, SurveyJson.Default.SurveyDefinition) ?? new SurveyDefinition(), survey.DefaultLanguage);
        }

        var array = new JsonArray();
        foreach (var r in rows)
        {
            JsonNode? person = r.ContactId is not { } contactId ? null
                : expandPerson && contacts.TryGetValue(contactId, out var contact) ? PersonJson.Write(contact, activity.GetValueOrDefault(contactId))
                : JsonValue.Create(contactId.ToString());
            var properties = PropertyBags.Read(r.Properties);
            var (definition, defaultLanguage) = _surveys[r.SurveyId];
            array.Add(new JsonObject
            {
                ["id"] = r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["person"] = person,
                ["survey_type"] = "nps",
                ["score"] = r.Score,
                ["comment"] = r.Comment,
                // Delighted linked to its dashboard; Promoter has no per-response page to link to (as in its Delighted webhooks).
                ["permalink"] = null,
                ["created_at"] = DelightedJson.Unix(r.RespondedAt),
                ["updated_at"] = DelightedJson.Unix(r.UpdatedAt),
                ["person_properties"] = properties.Count == 0 ? null : new JsonObject([.. properties.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))]),
                ["notes"] = new JsonArray(),
                ["tags"] = new JsonArray(),
                ["additional_answers"] = Answers(r, definition, defaultLanguage),
            });
        }

        _ = expandNotes; // Response notes live on cases (the loop), not on responses; both forms answer an empty list.
        return array;
    }

    public async Task<JsonObject> WriteOneAsync(SurveyResponse row, bool expandPerson, CancellationToken ct) =>
        (JsonObject)(await WriteAsync([row], expandPerson, false, ct))[0]!.DeepClone();

    private static JsonNode Answers(SurveyResponse r, SurveyDefinition definition, string defaultLanguage)
    {
        if (r.Answers is null)
        {
            return new JsonArray();
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartArray();
            DelightedPayload.WriteAnswers(w, r.Answers, definition, r.Language, defaultLanguage);
            w.WriteEndArray();
        }

        return JsonNode.Parse(buffer.ToArray())!;
    }
}
