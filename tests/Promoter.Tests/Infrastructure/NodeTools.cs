using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Promoter.Tests.Infrastructure;

/// <summary>
/// The npm tools the tests run as real peers (<c>tests/node</c>, installed by <c>./test.sh</c> with <c>npm ci</c>):
/// processes started on free loopback ports and killed when the test is done.
/// </summary>
public static class NodeTools
{
    public static string Directory { get; } = Locate();

    public static string Path(params string[] parts) => System.IO.Path.Combine([Directory, .. parts]);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <c>node</c> with the arguments; output is collected for the failure message.</summary>
    public static NodeProcess Start(params string[] args)
    {
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return new NodeProcess(Process.Start(info) ?? throw new InvalidOperationException("Could not start node. Install Node.js (see .ci/run)."));
    }

    /// <summary>Polls <paramref name="url"/> until it answers, or fails with the process's output.</summary>
    public static async Task WaitUntilAnsweringAsync(NodeProcess process, Uri url, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (TimeProvider.System.GetUtcNow() < deadline)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var response = await http.GetAsync(url);
                return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"{url} did not answer within {timeout.TotalSeconds} s. Output: {process.Output}");
    }

    private static string Locate()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = System.IO.Path.Combine(dir.FullName, "tests", "node");
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Promoter.sln")) && System.IO.Directory.Exists(candidate))
            {
                return System.IO.Directory.Exists(System.IO.Path.Combine(candidate, "node_modules"))
                    ? candidate
                    : throw new InvalidOperationException($"{candidate}/node_modules is missing: run ./test.sh (it runs npm ci there).");
            }
        }

        throw new InvalidOperationException("tests/node not found above the test binaries.");
    }
}

/// <summary>A running node process; disposing kills it.</summary>
public sealed class NodeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();
    private readonly Task _pump;

    public NodeProcess(Process process)
    {
        _process = process;
        _pump = Task.WhenAll(Pump(process.StandardOutput), Pump(process.StandardError));
    }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    private async Task Pump(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        await _pump;
        _process.Dispose();
    }
}
