using System.Net.Http.Json;
using System.Text.Json;

namespace Promoter.Tests.Infrastructure;

/// <summary>
/// A real SMTP server process, npm <c>maildev@2</c>, on free loopback ports; its REST API (<c>/email</c>) returns what
/// it received, parsed (subject, text, html, headers, envelope).
/// </summary>
public sealed class MailDev : IAsyncDisposable
{
    private readonly NodeProcess _process;
    private readonly HttpClient _http;

    private MailDev(NodeProcess process, int smtpPort, int webPort)
    {
        _process = process;
        SmtpPort = smtpPort;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{webPort}") };
    }

    public int SmtpPort { get; }

    /// <summary>Settings that point Promoter's SMTP client here.</summary>
    public Dictionary<string, string?> Settings(string from = "surveys@promoter.test") => new()
    {
        ["Smtp:Host"] = "127.0.0.1",
        ["Smtp:Port"] = SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["Smtp:From"] = from,
    };

    public static Task<MailDev> StartAsync() => StartAsync(NodeTools.FreePort());

    /// <summary>Starts on a given SMTP port: fault tests start it late, on the port Promoter was already told to use.</summary>
    public static async Task<MailDev> StartAsync(int smtpPort)
    {
        var webPort = NodeTools.FreePort();
        var process = NodeTools.Start(NodeTools.Path("node_modules", "maildev", "bin", "maildev"),
            "--smtp", smtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--web", webPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--ip", "127.0.0.1", "--silent");
        var mail = new MailDev(process, smtpPort, webPort);
        await NodeTools.WaitUntilAnsweringAsync(process, new Uri($"http://127.0.0.1:{webPort}/email"), TimeSpan.FromSeconds(30));
        return mail;
    }

    public async Task<List<JsonElement>> MessagesAsync() =>
        await _http.GetFromJsonAsync<List<JsonElement>>("/email") ?? [];

    public async Task<List<JsonElement>> MessagesToAsync(string address) =>
        (await MessagesAsync()).Where(m => m.GetProperty("to").EnumerateArray()
            .Any(t => string.Equals(t.GetProperty("address").GetString(), address, StringComparison.OrdinalIgnoreCase))).ToList();

    /// <summary>Waits until <paramref name="count"/> messages have arrived (or fails after <paramref name="timeout"/>).</summary>
    public async Task<List<JsonElement>> WaitForAsync(int count, TimeSpan timeout, string? to = null)
    {
        var deadline = TimeProvider.System.GetUtcNow() + timeout;
        while (true)
        {
            var messages = to is null ? await MessagesAsync() : await MessagesToAsync(to);
            if (messages.Count >= count || TimeProvider.System.GetUtcNow() > deadline)
            {
                return messages;
            }

            await Task.Delay(100);
        }
    }

    public static string Header(JsonElement message, string name) =>
        message.GetProperty("headers").TryGetProperty(name.ToLowerInvariant(), out var value) ? value.GetString() ?? "" : "";

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }
}
