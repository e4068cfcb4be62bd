using System.Collections.Concurrent;

namespace Promoter.Tests.Infrastructure;

/// <summary>
/// Keeps cookies for a test client. The session cookie is <c>Secure</c> (a <c>__Host-</c> cookie), which
/// <see cref="System.Net.CookieContainer"/> would never send over the loopback http the tests use, as a browser on
/// localhost does; so this jar sends every cookie back as-is.
/// </summary>
public sealed class CookieJar(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private readonly ConcurrentDictionary<string, string> _cookies = new(StringComparer.Ordinal);

    public IReadOnlyDictionary<string, string> Cookies => _cookies;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (!_cookies.IsEmpty)
        {
            request.Headers.Add("Cookie", string.Join("; ", _cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        var response = await base.SendAsync(request, cancellationToken);
        if (response.Headers.TryGetValues("Set-Cookie", out var values))
        {
            foreach (var header in values)
            {
                var pair = header.Split(';')[0];
                var eq = pair.IndexOf('=', StringComparison.Ordinal);
                var name = pair[..eq].Trim();
                var value = pair[(eq + 1)..].Trim();
                if (value.Length == 0 || header.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
                {
                    _cookies.TryRemove(name, out _);
                }
                else
                {
                    _cookies[name] = value;
                }
            }
        }

        return response;
    }
}
