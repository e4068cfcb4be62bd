using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Promoter.Bench;

/// <summary>
/// The same load from <c>wrk</c> (Debian package, installed by <c>bench/install-wrk.sh</c>), so the load generator
/// costs less of the 2 cores than in-process HttpClients do. Latency percentiles come from wrk's own histogram.
/// </summary>
internal static partial class WrkLoad
{
    public static async Task<IntakeBench.Load> RunAsync(Uri address, string key, string surveyId, double seconds, int concurrency, string directory,
        TextWriter log, CancellationToken ct)
    {
        var script = Path.Combine(directory, "intake.lua");
        await File.WriteAllTextAsync(script, $$"""
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            wrk.headers["Authorization"] = "Bearer {{key}}"
            local i = 0
            request = function()
              i = i + 1
              local contact = ""
              if i % 2 == 0 then contact = string.format(',"contact":{"email":"wrk-%d@example.com"}', i % 500) end
              local body = string.format('{"surveyId":"{{surveyId}}","score":%d,"comment":"Request %d: fast and friendly","channel":"helpdesk","properties":{"plan":"pro","region":"EMEA"}%s}', i % 11, i, contact)
              return wrk.format(nil, "/api/v1/responses", nil, body)
            end
            """, ct);
        var info = new ProcessStartInfo("wrk")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var arg in new[] { "-t2", $"-c{concurrency}", $"-d{seconds.ToString(CultureInfo.InvariantCulture)}s", "--latency", "--timeout", "10s", "-s", script, address.ToString() })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("wrk did not start; run bench/install-wrk.sh.");
        var output = await process.StandardOutput.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        log.WriteLine(output.TrimEnd());
        var requests = long.Parse(Requests().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        var non2xx = Non2xx().Match(output) is { Success: true } m ? long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : 0;
        var errors = SocketErrors().Match(output) is { Success: true } e
            ? e.Groups.Values.Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
            : 0;
        var took = double.Parse(Duration().Match(output).Groups[1].Value, CultureInfo.InvariantCulture);
        // wrk reports percentiles, not samples: hand back a synthetic list of 100 with the same p50/p90/p99.
        var latencies = new List<double>();
        foreach (var (p, count) in new[] { ("50", 50), ("90", 40), ("99", 10) })
        {
            latencies.AddRange(Enumerable.Repeat(Percentile(output, p), count));
        }

        return new IntakeBench.Load(requests - non2xx, non2xx + errors, took, latencies);
    }

    private static double Percentile(string output, string p)
    {
        var match = Regex.Match(output, $@"^\s*{p}%\s+([0-9.]+)(us|ms|s)\s*$", RegexOptions.Multiline, TimeSpan.FromSeconds(1));
        var value = double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
        return match.Groups[2].Value switch { "us" => value / 1000, "s" => value * 1000, _ => value };
    }

    [GeneratedRegex(@"([0-9]+) requests in")]
    private static partial Regex Requests();

    [GeneratedRegex(@"requests in ([0-9.]+)s")]
    private static partial Regex Duration();

    [GeneratedRegex(@"Non-2xx or 3xx responses: ([0-9]+)")]
    private static partial Regex Non2xx();

    [GeneratedRegex(@"Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)")]
    private static partial Regex SocketErrors();
}
