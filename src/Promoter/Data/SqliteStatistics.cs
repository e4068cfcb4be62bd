using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Promoter.Data;

/// <summary>
/// Keeps SQLite's planner statistics (<c>sqlite_stat1</c>) current with <c>PRAGMA optimize</c>, as SQLite recommends
/// for long-lived databases. Without them the planner assumes an equality on the first column of any index is
/// selective, so "these contacts' responses since a date" ran through <c>(workspace_id, updated_at)</c>: a scan of the
/// workspace's responses per query (0.6–0.8 s per 2,000-contact chunk of a batch send at a million responses), instead
/// of <c>(contact_id, responded_at)</c> (~30 ms; docs/benchmarks.md). PostgreSQL's autovacuum does this on its own.
/// </summary>
/// <remarks>
/// A connection reads the statistics when it loads the schema, and new statistics do not make open connections
/// reload it; so after a refresh the connection pools are cleared, and connections opened afterwards plan with the new
/// figures (the ones in use close when they are returned).
/// </remarks>
public static class SqliteStatistics
{
    /// <summary>How often the server refreshes (SQLite suggests hourly or daily); most runs find nothing to do.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromHours(1);

    /// <summary>How often the server looks whether another process (a CLI import) has refreshed the statistics.</summary>
    public static readonly TimeSpan WatchInterval = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Analyzes every table that was never analyzed or has grown or shrunk a lot since (flag 0x10000: all tables, not
    /// only those this connection used). SQLite limits how much of each index it reads: about half a second for a
    /// million responses, three while a fresh import is still in the WAL; nothing when nothing changed much.
    /// </summary>
    /// <param name="connection">Any open connection to the database.</param>
    /// <param name="pooledConnectionString">The connection string the pool was opened with (<see cref="DatabaseOptions.ConnectionString"/>).</param>
    /// <param name="ct">Cancels the refresh.</param>
    public static async Task RefreshAsync(DbConnection connection, string pooledConnectionString, CancellationToken ct)
    {
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "PRAGMA optimize=0x10002;";
            await command.ExecuteNonQueryAsync(ct);
        }

        ClearPool(pooledConnectionString);
    }

    /// <summary>Only this database's pool: other databases in the process (tests run many servers) keep theirs.</summary>
    public static void ClearPool(string pooledConnectionString)
    {
        using var key = new SqliteConnection(pooledConnectionString);
        SqliteConnection.ClearPool(key);
    }

    /// <summary>Refreshes on a connection of its own (SQLite only).</summary>
    public static async Task RefreshAsync(DatabaseOptions options, CancellationToken ct)
    {
        if (options.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        await using var connection = await OpenOwnAsync(options, ct);
        await RefreshAsync(connection, options.ConnectionString, ct);
    }

    /// <summary>Not from the pool: the pool is cleared after a refresh, and this connection should not be the one that survives it.</summary>
    private static async Task<SqliteConnection> OpenOwnAsync(DatabaseOptions options, CancellationToken ct)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder(options.ConnectionString) { Pooling = false }.ToString());
        try
        {
            await connection.OpenAsync(ct);
            SqliteDurability.Apply(connection);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>The statistics as stored (a few rows per table), to notice that another process has changed them.</summary>
    public static async Task<string> ReadAsync(DatabaseOptions options, CancellationToken ct)
    {
        await using var connection = await OpenOwnAsync(options, ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1')";
        if (Convert.ToInt64(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture) == 0)
        {
            return "";
        }

        command.CommandText = "SELECT COALESCE(group_concat(tbl || ' ' || COALESCE(idx, '') || ' ' || stat, ';'), '') FROM (SELECT * FROM sqlite_stat1 ORDER BY tbl, idx)";
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }
}

/// <summary>
/// Refreshes SQLite's planner statistics every <see cref="SqliteStatistics.Interval"/> while the server runs, and every
/// <see cref="SqliteStatistics.WatchInterval"/> clears the pools if another process (a CLI import) has refreshed them,
/// so this server's connections do not keep planning with the old figures until the next hourly run.
/// </summary>
public sealed class SqliteStatisticsWorker(IOptions<DatabaseOptions> options, TimeProvider clock, ILogger<SqliteStatisticsWorker> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Value.Provider != DatabaseProvider.Sqlite)
        {
            return;
        }

        string? seen = null;
        var refreshed = clock.GetUtcNow();
        // A one-shot delay per round, not a PeriodicTimer: a test clock advanced by a day would fire a minute-period
        // timer 1,440 times.
        do
        {
            try
            {
                if (clock.GetUtcNow() - refreshed >= SqliteStatistics.Interval)
                {
                    await SqliteStatistics.RefreshAsync(options.Value, stoppingToken);
                    refreshed = clock.GetUtcNow();
                    seen = await SqliteStatistics.ReadAsync(options.Value, stoppingToken);
                    continue;
                }

                var current = await SqliteStatistics.ReadAsync(options.Value, stoppingToken);
                if (seen is not null && current != seen)
                {
                    SqliteStatistics.ClearPool(options.Value.ConnectionString);
                }

                seen = current;
            }
            catch (Exception e) when (e is DbException or InvalidOperationException)
            {
                // Only query plans depend on it; the next tick tries again.
                log.LogWarning(e, "Refreshing SQLite planner statistics failed");
            }
        }
        while (await WaitAsync(stoppingToken));
    }

    private async Task<bool> WaitAsync(CancellationToken ct)
    {
        try
        {
            await Task.Delay(SqliteStatistics.WatchInterval, clock, ct);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
