using System.Buffers;
using System.Text;
using System.Text.Json;
using Promoter.Platform;

namespace Promoter.Collect;

/// <summary>One rejected cell (or row) of an import file. <see cref="Line"/> is the physical line the record starts on.</summary>
public sealed record ImportRowError(long Line, string Field, string Message, string? Value);

/// <summary>The file as a whole cannot be imported (no header, no score column, bad column names, broken quoting, not UTF-8).</summary>
public sealed class ImportFileException(string message) : DomainException("import_file_invalid", message)
{
    public override int StatusCode => StatusCodes.Status400BadRequest;
}

/// <summary>
/// The columns of a response import file, found by header name (case-insensitive). Known names map to response fields;
/// <c>property.NAME</c> and every other column become response properties named NAME.
/// </summary>
internal sealed class ImportColumns
{
    public const string Score = "score";
    public const string Comment = "comment";
    public const string RespondedAt = "responded_at";
    public const string Email = "email";
    public const string Name = "name";
    public const string Locale = "locale";
    public const string Language = "language";
    public const string Channel = "channel";
    public const string TeamMember = "team_member";
    public const string Touchpoint = "touchpoint";
    public const string PropertyPrefix = "property.";

    private static readonly string[] s_known = [Score, Comment, RespondedAt, Email, Name, Locale, Language, Channel, TeamMember, Touchpoint];

    private readonly Dictionary<string, int> _index = new(StringComparer.OrdinalIgnoreCase);

    private ImportColumns(int count, List<(int, string)> properties)
    {
        Count = count;
        Properties = [.. properties];
    }

    public int Count { get; }

    /// <summary>Column index and property name of every property column.</summary>
    public (int Index, string Name)[] Properties { get; }

    /// <summary>The index of a known column, or -1 when the file has none.</summary>
    public int this[string known] => _index.TryGetValue(known, out var i) ? i : -1;

    public static ImportColumns From(IReadOnlyList<string> header)
    {
        var problems = new List<string>();
        var properties = new List<(int, string)>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var known = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i];
            if (name.Length == 0)
            {
                problems.Add($"column {i + 1} has no name");
                continue;
            }

            if (!seen.Add(name))
            {
                problems.Add($"column '{Shown(name)}' appears twice");
                continue;
            }

            if (s_known.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                known[name] = i;
                continue;
            }

            var property = name.StartsWith(PropertyPrefix, StringComparison.OrdinalIgnoreCase) ? name[PropertyPrefix.Length..] : name;
            if (!TextInput.IsPropertyKey(property))
            {
                problems.Add($"column '{Shown(name)}' is not a valid property name (letters, digits, '_', '.' or '-', 1 to 64 characters)");
            }
            else if (properties.Any(p => string.Equals(p.Item2, property, StringComparison.Ordinal)))
            {
                problems.Add($"property '{property}' is named by two columns");
            }
            else
            {
                properties.Add((i, property));
            }
        }

        if (!known.ContainsKey(Score))
        {
            problems.Add("there is no 'score' column");
        }

        if (!known.ContainsKey(RespondedAt))
        {
            problems.Add("there is no 'responded_at' column (the time of each answer, ISO-8601 with an offset, e.g. 2025-03-01T14:05:00Z)");
        }

        if (properties.Count > TextInput.MaxPropertyKeys)
        {
            problems.Add($"{properties.Count} property columns; a response holds at most {TextInput.MaxPropertyKeys} properties");
        }

        if (problems.Count > 0)
        {
            throw new ImportFileException("line 1 (header): " + string.Join("; ", problems) + ".");
        }

        var columns = new ImportColumns(header.Count, properties);
        foreach (var (name, index) in known)
        {
            columns._index[name] = index;
        }

        return columns;
    }

    private static string Shown(string name) => name.Length > 40 ? name[..40] + "…" : name;
}

/// <summary>What became of one record of an import file.</summary>
internal enum ImportRowOutcome
{
    Accepted,
    Rejected,

    /// <summary>No score: an answer that was never given (a blank score cell in an export), not an error.</summary>
    NoScore,

    /// <summary>The row's <see cref="ImportRow.SubmissionId"/> is already stored for the survey (an earlier import of the same history).</summary>
    AlreadyImported,
}

/// <summary>Turns one CSV record into an <see cref="ImportRow"/>: the part of an import that knows a file format.</summary>
internal interface IImportRowReader
{
    /// <summary>Fills <paramref name="row"/> when accepted; adds every problem of a rejected record to <paramref name="rejected"/>.</summary>
    ImportRowOutcome Read(IReadOnlyList<string> fields, long line, ImportRow row, List<ImportRowError> rejected);
}

/// <summary>
/// A file format the importer reads. The default is Promoter's own column set (<see cref="ResponsesCsvFormat"/>);
/// others (e.g. Delighted's export) map their columns onto the same rows and the same writer.
/// </summary>
public abstract class ImportFormat
{
    /// <summary>
    /// The prefix of the stable keys the format gives its rows (stored as the response's submission id), or null when
    /// rows have none. The importer reads the survey's keys with this prefix under the import's write lock and hands them
    /// to the reader, so a second import of the same file stores nothing twice.
    /// </summary>
    public virtual string? KeyPrefix => null;

    /// <summary>Checks the header (throwing <see cref="ImportFileException"/>) and returns the reader for the records.</summary>
    internal abstract IImportRowReader CreateReader(IReadOnlyList<string> header, ImportReaderContext context);
}

/// <summary>What a row reader may need besides the header.</summary>
/// <param name="DefaultLanguage">The survey's language, for rows that name none.</param>
/// <param name="Now">The import's clock reading (times after it are refused).</param>
/// <param name="StoredKeys">Keys already stored for the survey (see <see cref="ImportFormat.KeyPrefix"/>); empty without a prefix.</param>
internal sealed record ImportReaderContext(string DefaultLanguage, DateTime Now, IReadOnlySet<string> StoredKeys);

/// <summary>Promoter's own import columns (see <see cref="ImportColumns"/>).</summary>
public sealed class ResponsesCsvFormat : ImportFormat
{
    public static readonly ResponsesCsvFormat Instance = new();

    internal override IImportRowReader CreateReader(IReadOnlyList<string> header, ImportReaderContext context) =>
        new ImportRowReader(ImportColumns.From(header), context.DefaultLanguage, context.Now);
}

/// <summary>A validated, cleaned row on its way to the database. Instances are reused from batch to batch.</summary>
internal sealed class ImportRow
{
    public long Line;
    public short Score;
    public string? Comment;
    public string Language = "";
    public string Channel = "";
    public string? Properties;
    public string? TeamMember;
    public string? Touchpoint;
    public DateTime RespondedAt;
    public string? Email;
    public string? EmailKey;
    public string? Name;
    public string? Locale;

    /// <summary>A stable key of the source's response (stored as <c>submission_id</c>), or null.</summary>
    public string? SubmissionId;

    /// <summary>Set by the sink once the contact is found or created.</summary>
    public object? ContactDbId;
}

/// <summary>Checks and cleans one CSV record into an <see cref="ImportRow"/> with the same rules as the intake API.</summary>
internal sealed class ImportRowReader(ImportColumns columns, string defaultLanguage, DateTime now) : IImportRowReader
{
    private readonly FieldErrors _errors = new();
    private readonly ArrayBufferWriter<byte> _json = new(1024);
    private readonly int _score = columns[ImportColumns.Score];
    private readonly int _comment = columns[ImportColumns.Comment];
    private readonly int _respondedAt = columns[ImportColumns.RespondedAt];
    private readonly int _email = columns[ImportColumns.Email];
    private readonly int _name = columns[ImportColumns.Name];
    private readonly int _locale = columns[ImportColumns.Locale];
    private readonly int _language = columns[ImportColumns.Language];
    private readonly int _channel = columns[ImportColumns.Channel];
    private readonly int _teamMember = columns[ImportColumns.TeamMember];
    private readonly int _touchpoint = columns[ImportColumns.Touchpoint];
    private IReadOnlyList<string> _fields = [];

    public ImportRowOutcome Read(IReadOnlyList<string> fields, long line, ImportRow row, List<ImportRowError> rejected) =>
        TryRead(fields, line, row, rejected) ? ImportRowOutcome.Accepted : ImportRowOutcome.Rejected;

    /// <summary>Fills <paramref name="row"/>; on failure adds every problem of the record to <paramref name="rejected"/> and returns false.</summary>
    public bool TryRead(IReadOnlyList<string> fields, long line, ImportRow row, List<ImportRowError> rejected)
    {
        if (fields.Count != columns.Count)
        {
            rejected.Add(new ImportRowError(line, "(row)", $"The record has {fields.Count} field(s); the header names {columns.Count}.", null));
            return false;
        }

        _fields = fields;
        _errors.Clear();
        row.Line = line;
        row.SubmissionId = null;

        var scoreText = Cell(_score).AsSpan().Trim(" \t");
        if (scoreText.IsEmpty)
        {
            _errors.Add(ImportColumns.Score, "A score is required: a whole number from 0 to 10.");
        }
        else if (Core.Score.TryParse(scoreText, out var score))
        {
            row.Score = (short)score.Value;
        }
        else
        {
            _errors.Add(ImportColumns.Score, "Not a score: use a whole number from 0 to 10 written with the digits 0-9.");
        }

        row.Comment = TextInput.Comment(Optional(_comment), ImportColumns.Comment, _errors);
        var respondedAt = Optional(_respondedAt);
        if (respondedAt is null)
        {
            _errors.Add(ImportColumns.RespondedAt, "A time is required, e.g. 2025-03-01T14:05:00Z.");
        }
        else if (ResponseFields.Time(respondedAt.Trim(), ImportColumns.RespondedAt, now, _errors) is { } at)
        {
            row.RespondedAt = at;
        }

        ReadContact(row);

        var language = Optional(_language)?.Trim();
        if (language is not null && !ResponseFields.IsLanguageTag(language))
        {
            _errors.Add(ImportColumns.Language, "Use a language tag such as en, sv or pt-BR.");
        }

        row.Language = language ?? defaultLanguage;
        var channel = Optional(_channel)?.Trim();
        if (channel is not null && !Channels.IsValid(channel))
        {
            _errors.Add(ImportColumns.Channel, "Use a short lowercase name such as import, email or helpdesk (a-z, 0-9, '-', '_').");
        }

        row.Channel = channel ?? Channels.Import;
        row.TeamMember = TextInput.Line(Optional(_teamMember), ImportColumns.TeamMember, 256, _errors);
        row.Touchpoint = TextInput.Line(Optional(_touchpoint), ImportColumns.Touchpoint, 256, _errors);
        row.Properties = ReadProperties();

        if (!_errors.Any)
        {
            return true;
        }

        foreach (var (field, message) in _errors.All)
        {
            rejected.Add(new ImportRowError(line, field, message, ValueOf(field)));
        }

        return false;
    }

    private void ReadContact(ImportRow row)
    {
        row.Email = row.EmailKey = row.Name = row.Locale = null;
        row.ContactDbId = null;
        var email = Optional(_email);
        if (email is not null)
        {
            if (EmailAddresses.TryNormalize(email, out var normalized))
            {
                row.Email = normalized;
                row.EmailKey = EmailAddresses.Key(normalized);
            }
            else
            {
                _errors.Add(ImportColumns.Email, "Not a valid email address.");
            }
        }

        row.Name = TextInput.Line(Optional(_name), ImportColumns.Name, 256, _errors);
        var locale = Optional(_locale)?.Trim();
        if (locale is not null && !ResponseFields.IsLanguageTag(locale))
        {
            _errors.Add(ImportColumns.Locale, "Use a language tag such as en, sv or pt-BR.");
        }

        row.Locale = locale;
        if (email is null && (row.Name is not null || locale is not null))
        {
            _errors.Add(ImportColumns.Email, "A name or locale describes a contact; give the contact's email too.");
        }
    }

    private string? ReadProperties()
    {
        var properties = columns.Properties;
        if (properties.Length == 0)
        {
            return null;
        }

        _json.ResetWrittenCount();
        var written = 0;
        using (var json = new Utf8JsonWriter(_json))
        {
            json.WriteStartObject();
            foreach (var (index, name) in properties)
            {
                if (_fields[index].Length == 0)
                {
                    continue;
                }

                var value = TextInput.Line(_fields[index], name, TextInput.MaxPropertyValueCharacters, _errors);
                if (value is not null)
                {
                    json.WriteString(name, value);
                    written++;
                }
            }

            json.WriteEndObject();
        }

        return written == 0 ? null : Encoding.UTF8.GetString(_json.WrittenSpan);
    }

    private string Cell(int index) => index < 0 ? "" : _fields[index];

    private string? Optional(int index) => index < 0 || _fields[index].Length == 0 || string.IsNullOrWhiteSpace(_fields[index]) ? null : _fields[index];

    private string? ValueOf(string field)
    {
        var index = field switch
        {
            ImportColumns.Score => _score,
            ImportColumns.Comment => _comment,
            ImportColumns.RespondedAt => _respondedAt,
            ImportColumns.Email => _email,
            ImportColumns.Name => _name,
            ImportColumns.Locale => _locale,
            ImportColumns.Language => _language,
            ImportColumns.Channel => _channel,
            ImportColumns.TeamMember => _teamMember,
            ImportColumns.Touchpoint => _touchpoint,
            _ => Array.Find(columns.Properties, p => p.Name == field) is { Name: not null } p ? p.Index : -1,
        };
        if (index < 0)
        {
            return null;
        }

        var value = _fields[index];
        return value.Length > 200 ? value[..200] + "…" : value;
    }
}
