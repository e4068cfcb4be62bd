using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Promoter.Data;

/// <summary>
/// Applies the versioned SQL scripts in <c>Data/Migrations/{Provider}</c> in order, each in its own transaction,
/// and records them with a checksum so an edited, already-applied script stops start-up instead of drifting.
/// On PostgreSQL an advisory lock makes concurrent nodes wait for one migrator.
/// </summary>
public sealed class SchemaMigrator(PromoterDb db, IOptions<DatabaseOptions> options, TimeProvider clock, ILogger<SchemaMigrator> log)
{
    private const long AdvisoryLockKey = 0x50524F4D4F544552; // "PROMOTER"

    public sealed record Script(int Version, string Name, string Sql, string Checksum);

    public static IReadOnlyList<Script> ScriptsFor(DatabaseProvider provider)
    {
        var assembly = typeof(SchemaMigrator).Assembly;
        var prefix = $"Promoter.Data.Migrations.{provider}.";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n => Load(assembly, n, n[prefix.Length..^4]))
            .OrderBy(s => s.Version)
            .ToList();
    }

    private static Script Load(Assembly assembly, string resource, string name)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var sql = reader.ReadToEnd();
        var version = int.Parse(name.AsSpan(0, name.IndexOf('_', StringComparison.Ordinal)), NumberStyles.None, CultureInfo.InvariantCulture);
        var checksum = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(sql.ReplaceLineEndings("\n"))));
        return new Script(version, name, sql, checksum);
    }

    public async Task<IReadOnlyList<Script>> PendingAsync(CancellationToken ct)
    {
        var connection = await OpenAsync(ct);
        await EnsureHistoryTableAsync(connection, ct);
        var applied = await AppliedAsync(connection, ct);
        return Verify(applied).Where(s => !applied.ContainsKey(s.Version)).ToList();
    }

    /// <returns>The scripts applied by this call.</returns>
    public async Task<IReadOnlyList<Script>> MigrateAsync(CancellationToken ct)
    {
        var provider = options.Value.Provider;
        var connection = await OpenAsync(ct);
        if (provider == DatabaseProvider.Sqlite)
        {
            // WAL is a property of the file; it cannot be switched inside a transaction.
            await ExecuteAsync(connection, null, "PRAGMA journal_mode=WAL;", ct);
        }
        else
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey});", ct);
        }

        try
        {
            await EnsureHistoryTableAsync(connection, ct);
            var done = new List<Script>();
            foreach (var script in Verify(await AppliedAsync(connection, ct)))
            {
                await using var tx = await connection.BeginTransactionAsync(ct);
                // Re-check inside the transaction: another SQLite process may have applied it meanwhile.
                if ((await AppliedAsync(connection, ct, tx)).ContainsKey(script.Version))
                {
                    continue;
                }

                log.LogInformation("Applying migration {Version} {Name}", script.Version, script.Name);
                await ExecuteAsync(connection, tx, script.Sql, ct);
                await using (var record = connection.CreateCommand())
                {
                    record.Transaction = tx;
                    record.CommandText = "INSERT INTO schema_migrations (version, name, checksum, applied_at) VALUES (@v, @n, @c, @a)";
                    AddParameter(record, "@v", script.Version);
                    AddParameter(record, "@n", script.Name);
                    AddParameter(record, "@c", script.Checksum);
                    AddParameter(record, "@a", clock.GetUtcNow().UtcDateTime);
                    await record.ExecuteNonQueryAsync(ct);
                }

                await tx.CommitAsync(ct);
                done.Add(script);
            }

            return done;
        }
        finally
        {
            if (provider == DatabaseProvider.Postgres)
            {
                await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey});", CancellationToken.None);
            }
        }
    }

    private IEnumerable<Script> Verify(IReadOnlyDictionary<int, string> applied)
    {
        var scripts = ScriptsFor(options.Value.Provider);
        foreach (var script in scripts)
        {
            if (applied.TryGetValue(script.Version, out var checksum) && checksum != script.Checksum)
            {
                throw new InvalidOperationException(
                    $"Migration {script.Name} was changed after it was applied (checksum {checksum} in the database, {script.Checksum} now). Add a new migration instead.");
            }
        }

        var newest = scripts.Count == 0 ? 0 : scripts[^1].Version;
        if (applied.Keys.Any(v => v > newest))
        {
            throw new InvalidOperationException(
                $"The database has migration {applied.Keys.Max()} but this build knows only up to {newest}. Run a newer Promoter.");
        }

        return scripts;
    }

    private async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        if (connection.State != System.Data.ConnectionState.Open)
        {
            await db.Database.OpenConnectionAsync(ct);
        }

        return connection;
    }

    private Task EnsureHistoryTableAsync(DbConnection connection, CancellationToken ct)
    {
        var timestamp = options.Value.Provider == DatabaseProvider.Postgres ? "timestamp with time zone" : "TEXT";
        return ExecuteAsync(connection, null,
            $"CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER NOT NULL PRIMARY KEY, name TEXT NOT NULL, checksum TEXT NOT NULL, applied_at {timestamp} NOT NULL);",
            ct);
    }

    private static async Task<Dictionary<int, string>> AppliedAsync(DbConnection connection, CancellationToken ct, DbTransaction? tx = null)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT version, checksum FROM schema_migrations";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var applied = new Dictionary<int, string>();
        while (await reader.ReadAsync(ct))
        {
            applied[Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction? tx, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    private static void AddParameter(DbCommand command, string name, object value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        command.Parameters.Add(p);
    }
}
