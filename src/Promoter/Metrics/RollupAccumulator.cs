using System.Data.Common;
using Promoter.Data;

namespace Promoter.Metrics;

/// <summary>
/// Rollup counts gathered in memory and added to the table in one pass: how bulk imports and rebuilds update
/// rollups without a trigger per row.
/// </summary>
public sealed class RollupAccumulator(Guid workspaceId)
{
    private readonly Dictionary<(Guid Survey, string Dim, string Value, int Day), long[]> _counts = [];

    public int Rows => _counts.Count;

    /// <summary>Counts one score under each key, in its daily row and its monthly row (as the triggers do).</summary>
    public void Add(Guid surveyId, int day, int score, IEnumerable<(string Dim, string Value)> keys, int delta = 1)
    {
        var month = WorkspaceCalendar.MonthStart(day);
        foreach (var (dim, value) in keys)
        {
            Count((surveyId, dim, value, day), score, delta);
            Count((surveyId, Rollup.MonthlyPrefix + dim, value, month), score, delta);
        }
    }

    private void Count((Guid, string, string, int) key, int score, int delta)
    {
        if (!_counts.TryGetValue(key, out var counts))
        {
            _counts[key] = counts = new long[11];
        }

        counts[score] += delta;
    }

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
        foreach (var ((surveyId, dim, value, day), counts) in _counts)
        {
            survey.Value = SqlValues.Id(provider, surveyId);
            dimParameter.Value = dim;
            valueParameter.Value = value;
            dayParameter.Value = day;
            for (var i = 0; i < 11; i++)
            {
                d[i].Value = counts[i];
            }

            await command.ExecuteNonQueryAsync(ct);
        }

        _counts.Clear();
    }
}
