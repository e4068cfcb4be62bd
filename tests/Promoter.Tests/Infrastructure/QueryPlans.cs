using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;

namespace Promoter.Tests.Infrastructure;

/// <summary>SQLite's plan for an EF Core query, run on the context's own (pooled) connection with the query's parameters.</summary>
internal static partial class QueryPlans
{
    public static async Task<string> ExplainAsync<T>(PromoterDb db, IQueryable<T> query)
    {
        // ToQueryString gives ".param set @name literal" lines, then the SQL.
        var text = query.ToQueryString();
        var lines = text.Split('\n');
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync();
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "EXPLAIN QUERY PLAN " + string.Join('\n', lines.Where(l => !l.StartsWith(".param set ", StringComparison.Ordinal)));
            foreach (var match in lines.Select(l => ParamLine().Match(l)).Where(m => m.Success))
            {
                command.Parameters.AddWithValue(match.Groups["name"].Value, Literal(match.Groups["value"].Value.TrimEnd('\r')));
            }

            var plan = new List<string>();
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                plan.Add(reader.GetString(3));
            }

            return string.Join(" | ", plan);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static object Literal(string value) => value switch
    {
        "NULL" => DBNull.Value,
        _ when value.StartsWith('\'') => value[1..^1].Replace("''", "'", StringComparison.Ordinal),
        _ when long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) => n,
        _ => double.Parse(value, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^\.param set (?<name>\S+) (?<value>.*)$")]
    private static partial Regex ParamLine();
}
