using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Promoter.Cli;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Data;

public sealed class MigrationTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Migrations_build_exactly_the_schema_the_model_describes(DatabaseProvider provider)
    {
        await using var migrated = await TestDatabase.CreateAsync(provider);
        await using var fromModel = await TestDatabase.CreateAsync(provider);

        await using (var db = Context(migrated))
        {
            var applied = await Migrator(db, migrated).MigrateAsync(CancellationToken.None);
            Assert.NotEmpty(applied);
        }

        await using (var db = Context(fromModel))
        {
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync(SchemaCommand.CreateScript(provider));
        }

        var expected = await DescribeAsync(fromModel);
        var actual = await DescribeAsync(migrated);
        Assert.NotEmpty(expected);
        Assert.Equal(expected.Except(actual).ToList(), []);
        Assert.Equal(actual.Except(expected).ToList(), []);
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Migrating_twice_applies_nothing_and_an_edited_script_stops_start_up(DatabaseProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider);
        await using var db = Context(database);
        var migrator = Migrator(db, database);
        var first = await migrator.MigrateAsync(CancellationToken.None);
        Assert.Equal(SchemaMigrator.ScriptsFor(provider).Count, first.Count);
        Assert.Empty(await migrator.MigrateAsync(CancellationToken.None));
        Assert.Empty(await migrator.PendingAsync(CancellationToken.None));

        await db.Database.ExecuteSqlRawAsync("UPDATE schema_migrations SET checksum = 'tampered' WHERE version = 1");
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.MigrateAsync(CancellationToken.None));
        Assert.Contains("changed after it was applied", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sqlite_connections_run_in_wal_with_synchronous_full_and_foreign_keys()
    {
        await using var database = await TestDatabase.CreateAsync(DatabaseProvider.Sqlite);
        await using var db = Context(database);
        await Migrator(db, database).MigrateAsync(CancellationToken.None);
        await db.Database.OpenConnectionAsync();
        Assert.Equal("wal", await ScalarAsync(db, "PRAGMA journal_mode"));
        Assert.Equal("2", await ScalarAsync(db, "PRAGMA synchronous"));
        Assert.Equal("1", await ScalarAsync(db, "PRAGMA foreign_keys"));
        Assert.Equal("10000", await ScalarAsync(db, "PRAGMA busy_timeout"));
    }

    private static async Task<string?> ScalarAsync(PromoterDb db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }

    internal static PromoterDb Context(TestDatabase database)
    {
        var options = new DbContextOptionsBuilder<PromoterDb>();
        DataRegistration.Configure(options, new DatabaseOptions { Provider = database.Provider, ConnectionString = database.ConnectionString });
        return new PromoterDb(options.Options, new WorkspaceContext());
    }

    private static SchemaMigrator Migrator(PromoterDb db, TestDatabase database) =>
        new(db, Microsoft.Extensions.Options.Options.Create(new DatabaseOptions { Provider = database.Provider, ConnectionString = database.ConnectionString }),
            TimeProvider.System, NullLogger<SchemaMigrator>.Instance);

    private static async Task<SortedSet<string>> DescribeAsync(TestDatabase database)
    {
        if (database.Provider == DatabaseProvider.Sqlite)
        {
            await using var sqlite = new SqliteConnection(database.ConnectionString);
            await sqlite.OpenAsync();
            return await SchemaIntrospection.DescribeAsync(sqlite, database.Provider);
        }

        await using var pg = new NpgsqlConnection(database.ConnectionString);
        await pg.OpenAsync();
        return await SchemaIntrospection.DescribeAsync(pg, database.Provider);
    }
}
