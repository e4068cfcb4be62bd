using System.Data.Common;
using Promoter.Data;

namespace Promoter.Tests.Data;

/// <summary>Reads a database's tables, columns (type, nullability) and indexes into comparable strings.</summary>
public static class SchemaIntrospection
{
    public static async Task<SortedSet<string>> DescribeAsync(DbConnection connection, DatabaseProvider provider)
    {
        var facts = new SortedSet<string>(StringComparer.Ordinal);
        if (provider == DatabaseProvider.Sqlite)
        {
            var tables = await ListAsync(connection, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations'");
            foreach (var table in tables)
            {
                foreach (var row in await RowsAsync(connection, $"SELECT name, type, \"notnull\", pk FROM pragma_table_info('{table}')"))
                {
                    facts.Add($"column {table}.{row[0]} {row[1]} notnull={row[2]} pk={row[3]}");
                }

                foreach (var row in await RowsAsync(connection, $"SELECT name, \"unique\" FROM pragma_index_list('{table}') WHERE origin = 'c'"))
                {
                    var columns = await ListAsync(connection, $"SELECT name FROM pragma_index_info('{row[0]}') ORDER BY seqno");
                    facts.Add($"index {table}.{row[0]} unique={row[1]} ({string.Join(",", columns)})");
                }

                foreach (var row in await RowsAsync(connection, $"SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('{table}')"))
                {
                    facts.Add($"fk {table}.{row[1]} -> {row[0]}.{row[2]} {row[3]}");
                }
            }
        }
        else
        {
            foreach (var row in await RowsAsync(connection,
                         "SELECT table_name, column_name, data_type, coalesce(character_maximum_length, 0), is_nullable, coalesce(column_default, '') FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> 'schema_migrations'"))
            {
                facts.Add($"column {row[0]}.{row[1]} {row[2]}({row[3]}) nullable={row[4]} default={row[5]}");
            }

            foreach (var row in await RowsAsync(connection, "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename <> 'schema_migrations'"))
            {
                facts.Add($"index {row[0]}.{row[1]} {row[2]}");
            }

            foreach (var row in await RowsAsync(connection,
                         "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND conrelid::regclass::text <> 'schema_migrations'"))
            {
                facts.Add($"constraint {row[0]}.{row[1]} {row[2]}");
            }
        }

        return facts;
    }

    private static async Task<List<string>> ListAsync(DbConnection connection, string sql) =>
        (await RowsAsync(connection, sql)).Select(r => r[0]).ToList();

    private static async Task<List<string[]>> RowsAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string[]>();
        while (await reader.ReadAsync())
        {
            var row = new string[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture) ?? "";
            }

            rows.Add(row);
        }

        return rows;
    }
}
