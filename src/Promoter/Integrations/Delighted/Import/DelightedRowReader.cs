using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Promoter.Collect;
using Promoter.Platform;

namespace Promoter.Integrations.Delighted.Import;

/// <summary>
/// One record of a Delighted export → one import row, with the intake API's rules for scores, comments and contacts.
/// A blank score is an answer never given and is left out (not an error); a row whose key is already stored is left
/// out too, so importing the same export twice stores it once.
/// </summary>
internal sealed class DelightedRowReader(DelightedColumns columns, ImportReaderContext context, DelightedTimes times) : IImportRowReader
{
    public const string KeyPrefix = "delighted:";
    private const int MaxResponseIdLength = 54; // submission ids hold 64 characters, with the prefix

    private readonly FieldErrors _errors = new();
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly Dictionary<string, long> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _occurrences = new(StringComparer.Ordinal);
    private IReadOnlyList<string> _fields = [];

    public ImportRowOutcome Read(IReadOnlyList<string> fields, long line, ImportRow row, List<ImportRowError> rejected)
    {
        if (fields.Count != columns.Count)
        {
            rejected.Add(new ImportRowError(line, "(row)", $"The record has {fields.Count} field(s); the header names {columns.Count}.", null));
            return ImportRowOutcome.Rejected;
        }

        _fields = fields;
        var scoreText = Cell(DelightedField.Score).AsSpan().Trim(" \t");
        if (scoreText.IsEmpty)
        {
            return ImportRowOutcome.NoScore;
        }

        _errors.Clear();
        row.Line = line;
        if (Core.Score.TryParse(scoreText, out var score))
        {
            row.Score = (short)score.Value;
        }
        else
        {
            _errors.Add("score", "Not an NPS score: use a whole number from 0 to 10 written with the digits 0-9.");
        }

        if (Optional(DelightedField.SurveyType)?.Trim() is { } type && !string.Equals(type, "nps", StringComparison.OrdinalIgnoreCase))
        {
            _errors.Add("survey_type", $"Only NPS responses (0-10) can be imported into an NPS survey; this one is '{type}'.");
        }

        row.Comment = TextInput.Comment(Optional(DelightedField.Comment), "comment", _errors);
        ReadTime(row);
        ReadContact(row);
        row.Language = context.DefaultLanguage;
        row.Channel = Channels.Import;
        row.TeamMember = null;
        row.Touchpoint = null;
        row.Properties = ReadProperties(row);
        var key = Key(row);

        if (_errors.Any)
        {
            foreach (var (field, message) in _errors.All)
            {
                rejected.Add(new ImportRowError(line, field, message, ValueOf(field)));
            }

            return ImportRowOutcome.Rejected;
        }

        if (context.StoredKeys.Contains(key))
        {
            return ImportRowOutcome.AlreadyImported;
        }

        if (_seen.TryGetValue(key, out var first))
        {
            rejected.Add(new ImportRowError(line, "response_id", $"The same response appears on line {first}; an export lists each response once.", ValueOf("response_id")));
            return ImportRowOutcome.Rejected;
        }

        _seen[key] = line;
        row.SubmissionId = key;
        return ImportRowOutcome.Accepted;
    }

    private void ReadTime(ImportRow row)
    {
        var text = Optional(DelightedField.CreatedAt);
        if (text is null)
        {
            _errors.Add("created_at", "A response time is required.");
        }
        else if (times.Parse(text, out var problem) is { } at)
        {
            row.RespondedAt = at;
        }
        else
        {
            _errors.Add("created_at", problem!);
        }
    }

    private void ReadContact(ImportRow row)
    {
        row.Email = row.EmailKey = row.Name = row.Locale = null;
        row.ContactDbId = null;
        if (Optional(DelightedField.Email) is { } email)
        {
            if (EmailAddresses.TryNormalize(email, out var normalized))
            {
                row.Email = normalized;
                row.EmailKey = EmailAddresses.Key(normalized);
            }
            else
            {
                _errors.Add("email", "Not a valid email address.");
            }
        }

        // Without an email there is no contact to name: the name stays on the response (SMS and anonymous respondents).
        var name = TextInput.Line(Optional(DelightedField.Name), "name", 256, _errors);
        row.Name = row.Email is null ? null : name;
    }

    private string? ReadProperties(ImportRow row)
    {
        _json.ResetWrittenCount();
        var written = 0;
        using (var json = new Utf8JsonWriter(_json))
        {
            json.WriteStartObject();
            foreach (var (index, key) in columns.Properties)
            {
                if (TextInput.Line(_fields[index], key, TextInput.MaxPropertyValueCharacters, _errors) is { } value)
                {
                    json.WriteString(key, value);
                    written++;
                    if (string.Equals(key, "locale", StringComparison.OrdinalIgnoreCase) && ResponseFields.IsLanguageTag(value))
                    {
                        // Delighted's special "locale" property chose the survey's language: keep it as the response's.
                        row.Language = row.Locale = value;
                    }
                }
            }

            written += Extra(json, DelightedField.PersonId, DelightedColumns.PersonIdKey, multiline: false);
            written += Extra(json, DelightedField.Tags, DelightedColumns.TagsKey, multiline: false);
            written += Extra(json, DelightedField.Notes, DelightedColumns.NotesKey, multiline: true);
            written += Extra(json, DelightedField.Permalink, DelightedColumns.PermalinkKey, multiline: false);
            if (row.Email is null)
            {
                written += Extra(json, DelightedField.Name, DelightedColumns.PersonNameKey, multiline: false);
            }

            json.WriteEndObject();
        }

        return written == 0 ? null : Encoding.UTF8.GetString(_json.WrittenSpan);
    }

    /// <summary>
    /// Notes keep their line breaks and may be as long as a comment (several notes per response are common); the other
    /// values follow the property rules.
    /// </summary>
    private int Extra(Utf8JsonWriter json, DelightedField field, string key, bool multiline)
    {
        var name = FieldName(field);
        var value = multiline
            ? TextInput.Comment(Optional(field), name, _errors)
            : TextInput.Line(Optional(field), name, TextInput.MaxPropertyValueCharacters, _errors);
        if (value is null)
        {
            return 0;
        }

        json.WriteString(key, value);
        return 1;
    }

    /// <summary>
    /// Delighted's response id when the export has one; otherwise a hash of who answered, when, what score and comment,
    /// numbered by occurrence so that identical anonymous answers stay distinct and still get the same keys next time.
    /// </summary>
    private string Key(ImportRow row)
    {
        if (Optional(DelightedField.ResponseId)?.Trim() is { } id)
        {
            if (id.Length > MaxResponseIdLength || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                _errors.Add("response_id", $"A Delighted response id is 1 to {MaxResponseIdLength} letters, digits, '-', '_' or '.'.");
            }

            return KeyPrefix + id;
        }

        var who = Optional(DelightedField.PersonId)?.Trim() ?? row.EmailKey ?? "";
        var material = string.Create(CultureInfo.InvariantCulture, $"{who}\n{row.RespondedAt:O}\n{row.Score}\n{row.Comment}");
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(material)).AsSpan(0, 16));
        var occurrence = _occurrences[hash] = _occurrences.GetValueOrDefault(hash) + 1;
        return string.Create(CultureInfo.InvariantCulture, $"{KeyPrefix}h:{hash}:{occurrence}");
    }

    private static string FieldName(DelightedField field) => field switch
    {
        DelightedField.ResponseId => "response_id",
        DelightedField.CreatedAt => "created_at",
        DelightedField.UpdatedAt => "updated_at",
        DelightedField.PersonId => "person_id",
        DelightedField.SurveyType => "survey_type",
        _ => field.ToString().ToLowerInvariant(),
    };

    private string Cell(DelightedField field) => columns[field] is var i and >= 0 ? _fields[i] : "";

    private string? Optional(DelightedField field) => Cell(field) is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    private string? ValueOf(string field)
    {
        var index = Enum.GetValues<DelightedField>().FirstOrDefault(f => FieldName(f) == field, (DelightedField)(-1)) is var f && (int)f >= 0
            ? columns[f]
            : Array.Find(columns.Properties, p => p.Key == field) is { Key: not null } p ? p.Index : -1;
        if (index < 0)
        {
            return null;
        }

        var value = _fields[index];
        return value.Length > 200 ? value[..200] + "…" : value;
    }
}
