using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Promoter.Data;

public static class DataRegistration
{
    /// <summary>The database, the workspace context and the migrator. Shared by the server and the CLI.</summary>
    public static IHostApplicationBuilder AddPromoterData(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>()
            .BindConfiguration(DatabaseOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => Enum.IsDefined(o.Provider), "Database:Provider must be Sqlite or Postgres.")
            .PostConfigure(o => o.AnchorSqlitePath(Environment.CurrentDirectory))
            .ValidateOnStart();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddScoped<WorkspaceContext>();
        // Options built once (singleton), not per request: rebuilding them made every request re-validate EF's
        // configuration and look up its internal service provider, a large share of intake CPU.
        builder.Services.AddDbContext<PromoterDb>((sp, options) =>
        {
            var database = sp.GetRequiredService<IOptions<DatabaseOptions>>().Value;
            Configure(options, database);
        }, ServiceLifetime.Scoped, ServiceLifetime.Singleton);
        builder.Services.AddScoped<SchemaMigrator>();
        builder.Services.AddScoped<DatabaseSelfCheck>();
        builder.Services.AddHostedService<SqliteStatisticsWorker>();
        // Keys in the database: every node of a PostgreSQL deployment reads the same ring, and a restart keeps sessions.
        builder.Services.AddDataProtection().SetApplicationName("Promoter").PersistKeysToDbContext<PromoterDb>();
        return builder;
    }

    public static void Configure(DbContextOptionsBuilder options, DatabaseOptions database)
    {
        switch (database.Provider)
        {
            case DatabaseProvider.Sqlite:
                options.UseSqlite(database.ConnectionString, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.MultipleParameters))
                    .AddInterceptors(SqliteDurability.Instance);
                break;
            case DatabaseProvider.Postgres:
                options.UseNpgsql(database.ConnectionString, o => o.UseParameterizedCollectionMode(ParameterTranslationMode.MultipleParameters));
                break;
            default:
                throw new InvalidOperationException($"Unknown database provider {database.Provider}.");
        }

        options.UseSnakeCaseNamingConvention();
    }
}
