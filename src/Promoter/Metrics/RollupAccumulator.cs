using System.Data.Common;
using System.Runtime.InteropServices;
using Promoter.Data;

namespace Promoter.Metrics;

/// <summary>
/// Rollup counts gathered in memory and added to the table in one pass: how bulk imports and rebuilds update
/// rollups without a trigger per row. Called once per response (a million times per import), so a count costs a
/// short scan for the (survey, dimension) pair, one string look-up for the value and one integer look-up for the
/// day. Monthly rows are summed from the daily ones at flush.
/// </summary>
public sealed class RollupAccumulator(Guid workspaceId)
{
    // A survey has few dimensions, named by the same string instances on every call: a list beats hashing tuples.
    private readonly Dictionary<Guid, List<(string Dim, Dictionary<string, int> Values)>> _surveys = [];
    private List<(string Dim, Dictionary<string, int> Values)> _lastDimensions = [];
    private Guid _lastSurvey;
    private readonly List<(Guid Survey, string Dim, string Value)> _keys = [];
    private readonly Dictionary<long, long[]> _daily = [];

    /// <summary>Counts one score under each key, in its daily row and its monthly row (as the triggers do).</summary>
    public void Add(Guid surveyId, int day, int score, IEnumerable<(string Dim, string Value)> keys, int delta = 1)
    {
        foreach (var (dim, value) in keys)
        {
            ref var id = ref CollectionsMarshal.GetValueRefOrAddDefault(ValuesOf(surveyId, dim), value, out var known);
            if (!known)
            {
                id = _keys.Count;
                _keys.Add((surveyId, dim, value));
            }

            ref var counts = ref CollectionsMarshal.GetValueRefOrAddDefault(_daily, Slot(id, day), out _);
            counts ??= new long[11];
            counts[score] += delta;
        }
    }

    private Dictionary<string, int> ValuesOf(Guid surveyId, string dim)
    {
        if (surveyId != _lastSurvey || _surveys.Count == 0)
        {
            ref var dimensions = ref CollectionsMarshal.GetValueRefOrAddDefault(_surveys, surveyId, out _);
            _lastDimensions = dimensions ??= [];
            _lastSurvey = surveyId;
        }

        foreach (var (name, values) in _lastDimensions)
        {
            if (ReferenceEquals(name, dim) || string.Equals(name, dim, StringComparison.Ordinal))
            {
                return values;
            }
        }

        var added = new Dictionary<string, int>(StringComparer.Ordinal);
        _lastDimensions.Add((dim, added));
        return added;
    }

    private static long Slot(int keyId, int day) => ((long)keyId << 32) | (uint)day;

    /// <summary>Adds the gathered counts to <c>rollups</c> inside the caller's transaction.</summary>
    public async Task FlushAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, CancellationToken ct)
    {
        var columns = string.Join(", ", Enumerable.Range(0, 11).Select(i => $"d{i}"));
        var values = string.Join(", ", Enumerable.Range(0, 11).Select(i => $"@d{i}"));
        var updates = string.Join(", ", Enumerable.Range(0, 11).Select(i => $"d{i} = rollups.d{i} + excluded.d{i}"));
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText =
            $"INSERT INTO rollups (workspace_id, survey_id, dim, value, day, {columns}) VALUES (@ws, @survey, @dim, @value, @day, {values}) " +
            $"ON CONFLICT (workspace_id, survey_id, dim, value, day) DO UPDATE SET {updates}";
        command.Add("@ws", SqlValues.Id(provider, workspaceId));
        var survey = command.Add("@survey", null);
        var dimParameter = command.Add("@dim", null);
        var valueParameter = command.Add("@value", null);
        var dayParameter = command.Add("@day", null);
        var d = Enumerable.Range(0, 11).Select(i => command.Add($"@d{i}", null)).ToArray();

        async Task WriteAsync((Guid Survey, string Dim, string Value) key, int day, long[] counts)
        {
            survey.Value = SqlValues.Id(provider, key.Survey);
            dimParameter.Value = key.Dim;
            valueParameter.Value = key.Value;
            dayParameter.Value = day;
            for (var i = 0; i < 11; i++)
            {
                d[i].Value = counts[i];
            }

            await command.ExecuteNonQueryAsync(ct);
        }

        var monthly = new Dictionary<long, long[]>();
        foreach (var (slot, counts) in _daily)
        {
            var (id, day) = ((int)(slot >> 32), (int)(uint)slot);
            await WriteAsync(_keys[id], day, counts);
            ref var month = ref CollectionsMarshal.GetValueRefOrAddDefault(monthly, Slot(id, WorkspaceCalendar.MonthStart(day)), out _);
            month ??= new long[11];
            for (var i = 0; i < 11; i++)
            {
                month[i] += counts[i];
            }
        }

        foreach (var (slot, counts) in monthly)
        {
            var (survey1, dim, value) = _keys[(int)(slot >> 32)];
            await WriteAsync((survey1, Rollup.MonthlyPrefix + dim, value), (int)(uint)slot, counts);
        }

        _surveys.Clear();
        _lastDimensions = [];
        _keys.Clear();
        _daily.Clear();
    }
}
