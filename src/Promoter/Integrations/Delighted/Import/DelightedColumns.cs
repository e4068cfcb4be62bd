using System.Globalization;
using System.Text;
using Promoter.Collect;
using Promoter.Platform;

namespace Promoter.Integrations.Delighted.Import;

/// <summary>What a column of a Delighted response export holds.</summary>
internal enum DelightedField
{
    ResponseId,
    Score,
    Comment,
    CreatedAt,
    UpdatedAt,
    Email,
    Name,
    PersonId,
    Tags,
    Notes,
    Permalink,
    SurveyType,
}

/// <summary>
/// The columns of a Delighted response export, found by header name. Delighted's exports and the tools people used
/// around them spell the same column several ways ("Response timestamp", "created_at", "Created At"), so names are
/// compared without case, spaces or punctuation. Every other column is a person property, as Delighted exports them,
/// stored under a property key made from its header.
/// </summary>
internal sealed class DelightedColumns
{
    /// <summary>Property keys the import writes besides the file's own properties.</summary>
    public const string TagsKey = "delighted.tags";
    public const string NotesKey = "delighted.notes";
    public const string PersonIdKey = "delighted.person_id";
    public const string PermalinkKey = "delighted.permalink";
    public const string PersonNameKey = "delighted.person_name";

    private static readonly Dictionary<string, DelightedField> s_aliases = new(StringComparer.Ordinal)
    {
        ["responseid"] = DelightedField.ResponseId,
        ["surveyresponseid"] = DelightedField.ResponseId,
        ["id"] = DelightedField.ResponseId,
        ["score"] = DelightedField.Score,
        ["npsscore"] = DelightedField.Score,
        ["comment"] = DelightedField.Comment,
        ["comments"] = DelightedField.Comment,
        ["responsetimestamp"] = DelightedField.CreatedAt,
        ["createdat"] = DelightedField.CreatedAt,
        ["created"] = DelightedField.CreatedAt,
        ["respondedat"] = DelightedField.CreatedAt,
        ["responsedate"] = DelightedField.CreatedAt,
        ["timestamp"] = DelightedField.CreatedAt,
        ["date"] = DelightedField.CreatedAt,
        ["updatedat"] = DelightedField.UpdatedAt,
        ["updated"] = DelightedField.UpdatedAt,
        ["email"] = DelightedField.Email,
        ["personemail"] = DelightedField.Email,
        ["emailaddress"] = DelightedField.Email,
        ["name"] = DelightedField.Name,
        ["personname"] = DelightedField.Name,
        ["personid"] = DelightedField.PersonId,
        ["person"] = DelightedField.PersonId,
        ["tags"] = DelightedField.Tags,
        ["notes"] = DelightedField.Notes,
        ["permalink"] = DelightedField.Permalink,
        ["surveytype"] = DelightedField.SurveyType,
    };

    private readonly int[] _index;

    private DelightedColumns(int count, int[] index, (int Index, string Key)[] properties)
    {
        Count = count;
        _index = index;
        Properties = properties;
    }

    public int Count { get; }

    /// <summary>Column index and property key of every property column.</summary>
    public (int Index, string Key)[] Properties { get; }

    /// <summary>The column holding <paramref name="field"/>, or -1.</summary>
    public int this[DelightedField field] => _index[(int)field];

    public static DelightedColumns From(IReadOnlyList<string> header)
    {
        var problems = new List<string>();
        var index = Enumerable.Repeat(-1, Enum.GetValues<DelightedField>().Length).ToArray();
        var properties = new List<(int, string)>();
        // Keys differing only in case would be two properties that read as one in every report.
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (name.Length == 0)
            {
                problems.Add($"column {i + 1} has no name");
                continue;
            }

            if (s_aliases.TryGetValue(Normalized(name), out var field))
            {
                if (index[(int)field] >= 0)
                {
                    problems.Add($"columns '{Shown(header[index[(int)field]])}' and '{Shown(name)}' both hold the {Describe(field)}");
                }
                else
                {
                    index[(int)field] = i;
                }

                continue;
            }

            var key = PropertyKey(name);
            if (key is null)
            {
                problems.Add($"column '{Shown(name)}' has no letters or digits to name a property by; rename it");
            }
            else if (keys.TryGetValue(key, out var other))
            {
                problems.Add($"columns '{Shown(other)}' and '{Shown(name)}' would both be stored as property '{key}'");
            }
            else
            {
                keys[key] = name;
                properties.Add((i, key));
            }
        }

        if (index[(int)DelightedField.Score] < 0)
        {
            problems.Add("there is no 'Score' column");
        }

        if (index[(int)DelightedField.CreatedAt] < 0)
        {
            problems.Add("there is no 'Response timestamp' (or 'created_at') column with the time of each answer");
        }

        var stored = properties.Count + new[] { DelightedField.Tags, DelightedField.Notes, DelightedField.PersonId, DelightedField.Permalink, DelightedField.Name }
            .Count(f => index[(int)f] >= 0);
        if (stored > TextInput.MaxPropertyKeys)
        {
            problems.Add($"{properties.Count} property columns (plus tags, notes, person id, permalink, name); a response holds at most {TextInput.MaxPropertyKeys} properties");
        }

        if (problems.Count > 0)
        {
            throw new ImportFileException("line 1 (header): " + string.Join("; ", problems) + ".");
        }

        return new DelightedColumns(header.Count, index, [.. properties]);
    }

    public static string Describe(DelightedField field) => field switch
    {
        DelightedField.ResponseId => "response id",
        DelightedField.CreatedAt => "response time",
        DelightedField.UpdatedAt => "update time",
        DelightedField.PersonId => "person id",
        DelightedField.SurveyType => "survey type",
        _ => field.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// A property key from a Delighted property name ("Purchase Experience" → "Purchase_Experience"): accents dropped,
    /// every run of other characters becomes one '_', at most 64 characters; null when nothing usable is left.
    /// </summary>
    public static string? PropertyKey(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-')
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != '_')
            {
                builder.Append('_');
            }
        }

        var key = builder.ToString().Trim('_');
        if (key.Length > 64)
        {
            key = key[..64].TrimEnd('_');
        }

        return key.Any(char.IsAsciiLetterOrDigit) && TextInput.IsPropertyKey(key) ? key : null;
    }

    private static string Normalized(string name) => string.Concat(name.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    private static string Shown(string name) => name.Length > 40 ? name[..40] + "…" : name;
}
