using Microsoft.Extensions.Options;
using Promoter.Data;

namespace Promoter.Platform;

/// <summary>What happens between building the server and accepting requests: migrate, refuse unsafe storage, refresh SQLite's planner statistics.</summary>
public static class ServerStartup
{
    public static async Task PrepareAsync(WebApplication app, CancellationToken ct)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var options = scope.ServiceProvider.GetRequiredService<IOptions<DatabaseOptions>>().Value;
        var log = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger("Promoter.Startup");
        if (options.AutoMigrate)
        {
            var applied = await MigrateWithRetryAsync(scope.ServiceProvider, log, ct);
            if (applied.Count > 0)
            {
                log.LogInformation("Applied {Count} migration(s) on {Provider}", applied.Count, options.Provider);
            }
        }

        await scope.ServiceProvider.GetRequiredService<DatabaseSelfCheck>().EnsureDurableAsync(ct);
        await SqliteStatistics.RefreshAsync(options, ct);
    }

    // A PostgreSQL server started alongside Promoter may still be coming up; wait for it briefly.
    private static async Task<IReadOnlyList<SchemaMigrator.Script>> MigrateWithRetryAsync(IServiceProvider services, ILogger log, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await services.GetRequiredService<SchemaMigrator>().MigrateAsync(ct);
            }
            catch (System.Data.Common.DbException ex) when (attempt < 5 && ex is not Microsoft.Data.Sqlite.SqliteException)
            {
                log.LogWarning("Database not reachable yet ({Message}); retrying", ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(attempt * 2), ct);
            }
        }
    }
}
