using Microsoft.Data.Sqlite;
using Promoter.Data;

namespace Promoter.Tests.Infrastructure;

/// <summary>A throw-away database on either provider: a temp SQLite file, or a fresh database on the test cluster.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly string? _sqliteDirectory;

    private TestDatabase(DatabaseProvider provider, string connectionString, string? sqliteDirectory)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _sqliteDirectory = sqliteDirectory;
    }

    public DatabaseProvider Provider { get; }
    public string ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(DatabaseProvider provider)
    {
        if (provider == DatabaseProvider.Postgres)
        {
            return new TestDatabase(provider, await PostgresCluster.CreateDatabaseAsync(), null);
        }

        var directory = Path.Combine(Path.GetTempPath(), "promoter-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        return new TestDatabase(provider, $"Data Source={Path.Combine(directory, "promoter.db")}", directory);
    }

    public async ValueTask DisposeAsync()
    {
        if (Provider == DatabaseProvider.Postgres)
        {
            await PostgresCluster.DropDatabaseAsync(ConnectionString);
            return;
        }

        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_sqliteDirectory!, recursive: true);
        }
        catch (IOException)
        {
            // A file still held open by a lingering connection; the temp directory is disposable.
        }
    }
}
