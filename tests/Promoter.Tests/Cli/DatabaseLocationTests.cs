using System.Diagnostics;
using Promoter.Cli;
using Promoter.Data;
using Promoter.Demo;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Cli;

/// <summary>Where the database is (README: <c>promoter.db</c> in the directory the command was run from) and what <c>--demo</c> may touch.</summary>
public sealed class DatabaseLocationTests
{
    [Fact]
    public async Task Serve_creates_promoter_db_in_the_working_directory_and_prints_its_full_path()
    {
        var directory = Directory.CreateTempSubdirectory("promoter-cwd-").FullName;
        try
        {
            var info = PromoterProcess.StartInfo(["serve", "--urls", "http://127.0.0.1:0"], directory);
            info.Environment.Remove("Database__ConnectionString");
            info.Environment.Remove("Database__Provider");
            using var process = Process.Start(info)!;
            var stderr = process.StandardError.ReadToEndAsync();
            var lines = new List<string>();
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                {
                    lines.Add(line);
                    if (line.StartsWith("Promoter is running", StringComparison.Ordinal))
                    {
                        break;
                    }
                }
            }
            finally
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            var output = string.Join('\n', lines);
            Assert.True(lines.Exists(l => l.StartsWith("Promoter is running", StringComparison.Ordinal)), output + "\n" + await stderr);
            var database = Path.Combine(directory, "promoter.db");
            Assert.Contains("Database: SQLite " + database, output, StringComparison.Ordinal);
            Assert.True(File.Exists(database), $"No {database}; the directory holds: {string.Join(", ", Directory.GetFiles(directory))}");
            Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "promoter.db")), "A database was created beside the binaries.");
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Dotnet_run_runs_the_server_in_the_directory_it_was_typed_in()
    {
        // `dotnet run --project src/Promoter` would start in the project's folder (the web SDK's default), so the
        // README's "promoter.db in the directory you ran the command from" needs the project to say otherwise.
        var directory = Directory.CreateTempSubdirectory("promoter-run-").FullName;
        try
        {
            var project = Path.Combine(RepositoryRoot(), "src", "Promoter", "Promoter.csproj");
            var info = new ProcessStartInfo("dotnet") { WorkingDirectory = directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var arg in new[] { "msbuild", project, "-getProperty:RunWorkingDirectory", "-nologo" })
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            var stdout = await process.StandardOutput.ReadToEndAsync();
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, stdout + stderr);
            Assert.Equal(Path.TrimEndingDirectorySeparator(directory), Path.TrimEndingDirectorySeparator(stdout.Trim()));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Demo_refuses_a_database_that_holds_a_real_workspace_unless_forced(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        await server.CreateWorkspaceAsync("Acme Real");
        var env = new Dictionary<string, string>
        {
            ["Database__Provider"] = provider.ToString(),
            ["Database__ConnectionString"] = server.ConnectionString,
        };

        var serve = await PromoterProcess.RunAsync(["serve", "--demo", "--urls", "http://127.0.0.1:0"], environment: env);
        Assert.Equal(ExitCodes.Failed, serve.ExitCode);
        Assert.Contains("already holds a workspace ('Acme Real')", serve.Stderr, StringComparison.Ordinal);
        Assert.Contains("--force-demo", serve.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Promoter is running", serve.Stdout, StringComparison.Ordinal);

        var demo = await PromoterProcess.RunAsync(["demo"], environment: env);
        Assert.Equal(ExitCodes.Failed, demo.ExitCode);
        Assert.Contains("--force", demo.Stderr, StringComparison.Ordinal);

        var list = await PromoterProcess.RunAsync(["workspace", "list"], environment: env);
        Assert.DoesNotContain(DemoSeeder.WorkspaceName, list.Stdout.Replace("Acme Real", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var forced = await PromoterProcess.RunAsync(["demo", "--force"], environment: env);
        Assert.True(forced.ExitCode == 0, forced.Stderr);
        Assert.Contains("Created the demo workspace", forced.Stdout, StringComparison.Ordinal);
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Promoter.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Repository root (Promoter.sln) not found above the test binaries.");
    }
}
