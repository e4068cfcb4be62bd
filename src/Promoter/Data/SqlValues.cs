using System.Data.Common;
using System.Globalization;

namespace Promoter.Data;

/// <summary>
/// Values for hand-written SQL, stored exactly as EF Core stores them so both kinds of access see the same rows:
/// on SQLite a Guid is upper-case TEXT and a time is TEXT "yyyy-MM-dd HH:mm:ss.FFFFFFF"; PostgreSQL takes them natively.
/// </summary>
public static class SqlValues
{
    /// <summary>How EF Core's SQLite provider writes a <see cref="DateTime"/>; every hand-written path must match it.</summary>
    public const string SqliteTimeFormat = "yyyy-MM-dd HH:mm:ss.FFFFFFF";

    public static object Id(DatabaseProvider provider, Guid value) =>
        provider == DatabaseProvider.Sqlite ? value.ToString().ToUpperInvariant() : value;

    public static object Id(DatabaseProvider provider, Guid? value) => value is { } v ? Id(provider, v) : DBNull.Value;

    public static object Time(DatabaseProvider provider, DateTime utc) =>
        provider == DatabaseProvider.Sqlite
            ? utc.ToString(SqliteTimeFormat, CultureInfo.InvariantCulture)
            : DateTime.SpecifyKind(utc, DateTimeKind.Utc);

    public static object Text(string? value) => value is null ? DBNull.Value : value;

    public static object Bool(DatabaseProvider provider, bool value) => provider == DatabaseProvider.Sqlite ? (value ? 1 : 0) : value;

    public static DbParameter Add(this DbCommand command, string name, object? value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value ?? DBNull.Value;
        command.Parameters.Add(parameter);
        return parameter;
    }
}
