using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Promoter.Data;

/// <summary>
/// The SQLite half of <see cref="BulkInsert"/>: statements prepared once on the connection's native handle and bound by
/// position. Microsoft.Data.Sqlite binds every parameter by name on every execution (a linear search per parameter),
/// which profiling showed was a third of a batch send's time (ADR-013). Values are written exactly as EF Core writes
/// them on SQLite (<see cref="SqlValues"/>): a Guid as upper-case TEXT, a time as TEXT "yyyy-MM-dd HH:mm:ss.FFFFFFF".
/// </summary>
internal static class SqliteRows
{
    public static void Insert<T>(SqliteConnection connection, string insert, BulkInsert.Column[] columns, IReadOnlyList<T> rows, int rowsPerStatement)
        where T : class
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var buffer = new SqliteUtf8Buffer();
        sqlite3_stmt? full = null;
        try
        {
            for (var start = 0; start < rows.Count; start += rowsPerStatement)
            {
                var count = Math.Min(rowsPerStatement, rows.Count - start);
                var statement = count == rowsPerStatement
                    ? full ??= Prepare(db, insert + BulkInsert.Values(columns.Length, count, positional: true))
                    : Prepare(db, insert + BulkInsert.Values(columns.Length, count, positional: true));
                try
                {
                    var index = 1;
                    for (var row = start; row < start + count; row++)
                    {
                        foreach (var column in columns)
                        {
                            Check(db, Bind(statement, index++, column.ToProvider(column.Read(rows[row])), buffer));
                        }
                    }

                    var rc = raw.sqlite3_step(statement);
                    raw.sqlite3_reset(statement);
                    if (rc != raw.SQLITE_DONE)
                    {
                        SqliteException.ThrowExceptionForRC(rc, db);
                    }
                }
                finally
                {
                    if (statement != full)
                    {
                        statement.Dispose();
                    }
                }
            }
        }
        finally
        {
            full?.Dispose();
        }
    }

    private static sqlite3_stmt Prepare(sqlite3 db, string sql)
    {
        Check(db, raw.sqlite3_prepare_v2(db, sql, out var statement));
        return statement;
    }

    private static void Check(sqlite3 db, int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, db);
        }
    }

    private static int Bind(sqlite3_stmt statement, int index, object? value, SqliteUtf8Buffer buffer) => value switch
    {
        null or DBNull => raw.sqlite3_bind_null(statement, index),
        string text => raw.sqlite3_bind_text(statement, index, buffer.Encode(text)),
        Guid id => raw.sqlite3_bind_text(statement, index, buffer.Encode(id)),
        DateTime time => raw.sqlite3_bind_text(statement, index, buffer.Encode(time)),
        bool flag => raw.sqlite3_bind_int(statement, index, flag ? 1 : 0),
        int number => raw.sqlite3_bind_int64(statement, index, number),
        long number => raw.sqlite3_bind_int64(statement, index, number),
        short number => raw.sqlite3_bind_int64(statement, index, number),
        byte number => raw.sqlite3_bind_int64(statement, index, number),
        double number => raw.sqlite3_bind_double(statement, index, number),
        float number => raw.sqlite3_bind_double(statement, index, number),
        byte[] bytes => raw.sqlite3_bind_blob(statement, index, bytes),
        // Anything else would need EF Core's own SQLite formatting; refuse rather than store it differently.
        _ => throw new NotSupportedException($"Bulk insert on SQLite does not write values of type {value.GetType().Name}."),
    };
}
