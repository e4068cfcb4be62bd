using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Microsoft.Extensions.Options;

namespace Promoter.Integrations.Webhooks;

/// <summary>What one HTTP attempt came to.</summary>
public sealed record SendOutcome(int? StatusCode, string? Error, string? ResponseStart, TimeSpan Duration, RetryConditionHeaderValue? RetryAfter)
{
    public bool Succeeded => StatusCode is >= 200 and < 300;
}

/// <summary>
/// Sends one signed POST: through the SSRF guard, never through a proxy, never following redirects, with a hard timeout
/// and at most 64 KB of the answer read (the first kilobyte is kept for the delivery log).
/// </summary>
public sealed class WebhookSender : IDisposable
{
    public const int MaxResponseBytes = 64 * 1024;
    public const string UserAgent = "Promoter-Webhooks/1.0";

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _clock;

    public WebhookSender(GuardedConnector connector, IOptions<WebhooksOptions> options, TimeProvider clock)
    {
        _timeout = TimeSpan.FromSeconds(options.Value.TimeoutSeconds);
        _clock = clock;
        _http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = connector.ConnectAsync,
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            Credentials = null,
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            // Short-lived pooled connections: a name that moves to another address is resolved (and checked) again soon.
            PooledConnectionLifetime = TimeSpan.FromMinutes(1),
            ConnectTimeout = _timeout,
            MaxConnectionsPerServer = 8,
            MaxResponseHeadersLength = 64,
            // Never read past the 64 KB cap to keep a connection for reuse: close it instead.
            MaxResponseDrainSize = 0,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    public async Task<SendOutcome> SendAsync(Uri url, string body, IReadOnlyList<KeyValuePair<string, string>> headers, CancellationToken ct)
    {
        var started = _clock.GetTimestamp();
        // Real time, not the injected clock: this bounds a network wait, it schedules nothing.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_timeout);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(body, new UTF8Encoding(false), "application/json"),
            Version = System.Net.HttpVersion.Version11,
        };
        request.Headers.UserAgent.ParseAdd(UserAgent);
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var start = await ReadStartAsync(response.Content, timeout.Token);
            var status = (int)response.StatusCode;
            var error = status switch
            {
                >= 200 and < 300 => null,
                >= 300 and < 400 => $"Answered {status} (redirect to {response.Headers.Location?.ToString() ?? "nowhere"}); redirects are not followed, update the URL instead.",
                _ => $"Answered {status}.",
            };
            return new SendOutcome(status, error, start, Elapsed(started), response.Headers.RetryAfter);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return Failed($"No answer within {_timeout.TotalSeconds:0} s.", started);
        }
        catch (HttpRequestException e)
        {
            return Failed(Describe(e), started);
        }
    }

    private SendOutcome Failed(string error, long started) => new(null, error, null, Elapsed(started), null);

    private TimeSpan Elapsed(long started) => _clock.GetElapsedTime(started);

    private static string Describe(HttpRequestException e)
    {
        for (Exception? inner = e; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case WebhookAddressRefusedException refused:
                    return refused.Message;
                case SocketException socket:
                    return $"Could not connect: {socket.Message}";
                case AuthenticationException tls:
                    return $"TLS failed: {tls.Message}";
            }
        }

        return $"Request failed: {e.Message}";
    }

    /// <summary>Reads at most <see cref="MaxResponseBytes"/> and keeps the first kilobyte as text.</summary>
    private static async Task<string?> ReadStartAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[MaxResponseBytes];
        var read = 0;
        int n;
        while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), ct)) > 0)
        {
            read += n;
        }

        if (read == 0)
        {
            return null;
        }

        var text = Encoding.UTF8.GetString(buffer, 0, Math.Min(read, WebhookAttempt.StoredResponseChars));
        return text.Length > WebhookAttempt.StoredResponseChars ? text[..WebhookAttempt.StoredResponseChars] : text;
    }

    public void Dispose() => _http.Dispose();
}
