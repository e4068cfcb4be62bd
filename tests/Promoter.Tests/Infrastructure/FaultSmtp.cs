using System.Net.Http.Json;
using System.Text.Json;

namespace Promoter.Tests.Infrastructure;

/// <summary>
/// A scriptable SMTP server process (<c>tests/node/fault-smtp.js</c>, on npm <c>smtp-server</c>): the recipient's
/// local part decides the reply — <c>tempfail1-…</c> 451 once, <c>bounce-…</c> 550 5.1.1, <c>policy-…</c> 554 5.7.1,
/// <c>hang1-…</c> takes the message but never acknowledges it the first time.
/// </summary>
public sealed class FaultSmtp : IAsyncDisposable
{
    private readonly NodeProcess _process;
    private readonly HttpClient _http;

    private FaultSmtp(NodeProcess process, int smtpPort, int httpPort)
    {
        _process = process;
        SmtpPort = smtpPort;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpPort}") };
    }

    public int SmtpPort { get; }

    public Dictionary<string, string?> Settings(string from = "surveys@promoter.test") => new()
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:From"] = from,
    };

    public static async Task<FaultSmtp> StartAsync()
    {
        var smtpPort = NodeTools.FreePort();
        var httpPort = NodeTools.FreePort();
        var process = NodeTools.Start("fault-smtp.js", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            httpPort.ToString(System.Globalization.CultureInfo.InvariantCulture));
        var server = new FaultSmtp(process, smtpPort, httpPort);
        await NodeTools.WaitUntilAnsweringAsync(process, new Uri($"http://127.0.0.1:{httpPort}/messages"), TimeSpan.FromSeconds(30));
        return server;
    }

    public sealed record Accepted(string[] To, string? MessageId, string? Subject, bool Hung);

    /// <summary>Every message whose data reached the server, acknowledged or not.</summary>
    public async Task<List<Accepted>> MessagesAsync()
    {
        var raw = await _http.GetFromJsonAsync<List<JsonElement>>("/messages") ?? [];
        return raw.Select(m => new Accepted(
            m.GetProperty("to").EnumerateArray().Select(t => t.GetString()!).ToArray(),
            m.GetProperty("messageId").GetString(),
            m.GetProperty("subject").GetString(),
            m.GetProperty("hung").GetBoolean())).ToList();
    }

    /// <summary>RCPT commands seen per recipient: each SMTP attempt counts once.</summary>
    public async Task<int> AttemptsForAsync(string address)
    {
        var attempts = await _http.GetFromJsonAsync<Dictionary<string, int>>("/attempts") ?? [];
        return attempts.GetValueOrDefault(address.ToLowerInvariant());
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }
}
