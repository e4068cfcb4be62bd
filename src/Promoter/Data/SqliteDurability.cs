using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Promoter.Data;

/// <summary>
/// Per-connection SQLite settings. <c>synchronous=FULL</c> makes every acknowledged commit survive a power cut;
/// <c>busy_timeout</c> lets concurrent writers wait instead of failing; foreign keys are off in SQLite unless asked.
/// (<c>journal_mode=WAL</c> is a property of the file and is set once by the migrator.)
/// </summary>
internal sealed class SqliteDurability : DbConnectionInterceptor
{
    public const string Pragmas = "PRAGMA synchronous=FULL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";

    public static readonly SqliteDurability Instance = new();

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData) => Apply(connection);

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public static void Apply(DbConnection connection)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }
}
