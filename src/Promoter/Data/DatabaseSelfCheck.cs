using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Promoter.Data;

/// <summary>
/// Refuses to run on settings that would lose acknowledged responses: SQLite below <c>synchronous=FULL</c>
/// or outside WAL; PostgreSQL with <c>fsync</c> off. Also answers the readiness probe.
/// </summary>
public sealed class DatabaseSelfCheck(PromoterDb db, IOptions<DatabaseOptions> options)
{
    public async Task EnsureDurableAsync(CancellationToken ct)
    {
        var o = options.Value;
        if (o.Provider == DatabaseProvider.Sqlite)
        {
            var synchronous = Convert.ToInt32(await ScalarAsync("PRAGMA synchronous;", ct), CultureInfo.InvariantCulture);
            var journal = Convert.ToString(await ScalarAsync("PRAGMA journal_mode;", ct), CultureInfo.InvariantCulture);
            if (synchronous < 2 && !o.AllowRelaxedDurability)
            {
                throw new InvalidOperationException($"SQLite synchronous={synchronous}; Promoter needs FULL (2) unless Database:AllowRelaxedDurability is set.");
            }

            if (!string.Equals(journal, "wal", StringComparison.OrdinalIgnoreCase) && !o.ConnectionString.Contains(":memory:", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"SQLite journal_mode={journal}; Promoter needs WAL. Run 'promoter migrate' once.");
            }
        }
        else
        {
            var fsync = Convert.ToString(await ScalarAsync("SHOW fsync;", ct), CultureInfo.InvariantCulture);
            if (fsync != "on" && !o.AllowRelaxedDurability)
            {
                throw new InvalidOperationException("PostgreSQL runs with fsync=off; acknowledged responses could be lost.");
            }
        }
    }

    public async Task<bool> IsReadyAsync(CancellationToken ct)
    {
        try
        {
            return Convert.ToInt32(await ScalarAsync("SELECT COUNT(*) FROM schema_migrations", ct), CultureInfo.InvariantCulture) > 0;
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or InvalidOperationException)
        {
            return false;
        }
    }

    private async Task<object?> ScalarAsync(string sql, CancellationToken ct)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return await command.ExecuteScalarAsync(ct);
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }
}
