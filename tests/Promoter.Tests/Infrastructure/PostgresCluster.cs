using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Promoter.Tests.Infrastructure;

/// <summary>
/// A real PostgreSQL server for the whole test run: initdb + pg_ctl in a temp directory on a free loopback port,
/// stopped when the process exits. Tests get a fresh database each. If the server cannot start, tests fail:
/// PostgreSQL support is never silently skipped.
/// </summary>
public static class PostgresCluster
{
    private static readonly Lazy<Task<string>> s_adminConnection = new(StartAsync);

    public static async Task<string> CreateDatabaseAsync()
    {
        var admin = await s_adminConnection.Value;
        var name = "t_" + Guid.NewGuid().ToString("N")[..20];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(admin) { Database = name, Pooling = true, MaxPoolSize = 50 }.ConnectionString;
    }

    public static async Task DropDatabaseAsync(string connectionString)
    {
        var admin = await s_adminConnection.Value;
        var name = new NpgsqlConnectionStringBuilder(connectionString).Database;
        NpgsqlConnection.ClearAllPools();
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string> StartAsync()
    {
        if (Environment.GetEnvironmentVariable("PROMOTER_TEST_POSTGRES") is { Length: > 0 } external)
        {
            return external;
        }

        var bin = Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "initdb"))).Order().LastOrDefault()
            : null;
        if (bin is null)
        {
            throw new InvalidOperationException("PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. Install postgresql (see .ci/run) or set PROMOTER_TEST_POSTGRES.");
        }

        var root = Path.Combine(Path.GetTempPath(), "promoter-pg-" + Guid.NewGuid().ToString("N")[..8]);
        var data = Path.Combine(root, "data");
        Directory.CreateDirectory(root);
        var port = FreePort();
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb refuses to run as root; run the cluster as the postgres system user.
            await RunAsync("chown", $"postgres {root}");
        }

        await RunPgAsync(asRoot, Path.Combine(bin, "initdb"), $"-D {data} -U promoter --auth=trust --encoding=UTF8 --locale=C.UTF-8 --no-sync");
        await RunPgAsync(asRoot, Path.Combine(bin, "pg_ctl"),
            $"-D {data} -l {Path.Combine(root, "server.log")} -w -t 60 -o \"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=on -c shared_buffers=64MB\" start");
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                RunPgAsync(asRoot, Path.Combine(bin, "pg_ctl"), $"-D {data} -m immediate stop").GetAwaiter().GetResult();
                Directory.Delete(root, recursive: true);
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or UnauthorizedAccessException)
            {
                // Best effort: the temp directory is disposable.
            }
        };
        return $"Host=127.0.0.1;Port={port};Username=promoter;Database=postgres;Pooling=true;Timeout=30;Command Timeout=120";
    }

    private static Task RunPgAsync(bool asRoot, string exe, string args) =>
        asRoot ? RunAsync("runuser", $"-u postgres -- {exe} {args}") : RunAsync(exe, args);

    private static async Task RunAsync(string exe, string args)
    {
        var info = new ProcessStartInfo(exe, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {exe}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{exe} {args} failed ({process.ExitCode}): {await stderr} {await stdout}");
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
