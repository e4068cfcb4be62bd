using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Integrations.Delighted;

/// <summary>
/// Runs a scenario in <c>tests/node/delighted-compat</c>, which drives the official, unmodified <c>delighted@2.2.0</c>
/// npm client against the server under test, and returns what the scenario reported for cross-checking.
/// </summary>
public static class OfficialClient
{
    public static async Task<JsonElement> RunAsync(PromoterTestServer server, string apiKey, string scenario, object? input = null, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = NodeTools.Directory,
        };
        info.ArgumentList.Add(Path.Combine("delighted-compat", scenario + ".js"));
        info.Environment["PROMOTER_PORT"] = server.BaseAddress.Port.ToString(CultureInfo.InvariantCulture);
        info.Environment["PROMOTER_KEY"] = apiKey;
        info.Environment["PROMOTER_INPUT"] = JsonSerializer.Serialize(input ?? new { });
        // The package prints a deprecation warning on load; it is not part of the result.
        info.Environment["NODE_NO_WARNINGS"] = "1";

        using var process = Process.Start(info) ?? throw new InvalidOperationException("Could not start node.");
        var output = new StringBuilder();
        var pumps = Task.WhenAll(Pump(process.StandardOutput, output), Pump(process.StandardError, output));
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(120));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            await pumps;
            throw new TimeoutException($"The {scenario} scenario did not finish. Output:\n{output}");
        }

        await pumps;
        var text = output.ToString();
        if (process.ExitCode != 0)
        {
            throw new Xunit.Sdk.XunitException($"The {scenario} scenario failed (exit {process.ExitCode}):\n{text}");
        }

        var line = text.Split('\n').LastOrDefault(l => l.StartsWith("RESULT ", StringComparison.Ordinal))
                   ?? throw new Xunit.Sdk.XunitException($"The {scenario} scenario reported nothing:\n{text}");
        return JsonDocument.Parse(line["RESULT ".Length..]).RootElement.Clone();
    }

    private static async Task Pump(StreamReader reader, StringBuilder output)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
