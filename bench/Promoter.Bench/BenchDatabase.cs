using Microsoft.Extensions.DependencyInjection;
using Promoter.Accounts;
using Promoter.Cli;
using Promoter.Data;
using Promoter.Surveys;

namespace Promoter.Bench;

/// <summary>A fresh SQLite file in a temp directory with one workspace and one survey, set up through the product's own services.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private BenchDatabase(string directory) => Directory = directory;

    public const string OwnerEmail = "bench@example.com";
    public const string OwnerPassword = "bench-password-1";

    public string Directory { get; }
    public string Path => System.IO.Path.Combine(Directory, "promoter.db");
    public string ConnectionString => $"Data Source={Path}";

    public static BenchDatabase CreateEmpty() =>
        new(System.IO.Directory.CreateTempSubdirectory("promoter-bench-").FullName);

    /// <summary>Migrates the file and creates a workspace and a survey; returns (workspace id, survey id).</summary>
    public async Task<(Guid Workspace, Guid Survey)> SeedAsync(CancellationToken ct)
    {
        Environment.SetEnvironmentVariable("Database__Provider", "Sqlite");
        Environment.SetEnvironmentVariable("Database__ConnectionString", ConnectionString);
        await using var host = await CliHost.StartAsync(ct);
        await using var scope = host.CreateScope();
        var created = await scope.ServiceProvider.GetRequiredService<WorkspaceAdmin>()
            .CreateAsync("Bench", OwnerEmail, OwnerPassword, "Bench", ct);
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(created.Workspace.Id);
        var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var survey = new Survey { Id = Guid.CreateVersion7(), Name = "Imported", BrandName = "Acme", CreatedAt = now, UpdatedAt = now };
        db.Surveys.Add(survey);
        await db.SaveChangesAsync(ct);
        return (created.Workspace.Id, survey.Id);
    }

    public ValueTask DisposeAsync()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("BENCH_KEEP") == "1")
        {
            Console.Error.WriteLine($"kept {Path}");
            return ValueTask.CompletedTask;
        }

        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Temp files; best effort.
        }

        return ValueTask.CompletedTask;
    }
}
