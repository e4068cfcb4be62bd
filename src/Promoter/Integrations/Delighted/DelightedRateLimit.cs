using System.Globalization;
using System.Text;
using System.Threading.RateLimiting;
using Promoter.Accounts;
using Promoter.Platform;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// One token bucket per API key (per network without one). The limiter runs before authentication, so the bucket is
/// chosen by the key's public prefix; a forged key only drains its own bucket. A refusal is Delighted's 429 body with
/// <c>Retry-After</c> in whole seconds, which the official clients' auto-pagination waits for.
/// </summary>
public sealed class DelightedRateLimit : IRateLimitRejectionPage
{
    public const string Policy = "delighted";

    public static RateLimitPartition<string> Partition(HttpContext http, DelightedOptions options)
    {
        var key = ApiKeyAuthenticationHandler.ReadKey(http.Request);
        var partition = key is not null && ApiKeyFormat.LooksValid(key)
            ? "key " + ApiKeyFormat.PrefixOf(key)
            : "net " + ClientAddress.PrefixOf(http.Connection.RemoteIpAddress);
        var perMinute = options.RequestsPerMinute;
        // At least one token per second refills a minute's worth per minute; below 60 a minute, one token per 60/limit seconds.
        var (tokens, period) = perMinute >= 60
            ? ((int)Math.Ceiling(perMinute / 60.0), TimeSpan.FromSeconds(1))
            : (1, TimeSpan.FromSeconds(60.0 / perMinute));
        return RateLimitPartition.GetTokenBucketLimiter(partition, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = perMinute,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = period,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    public async Task WriteAsync(HttpContext http, CancellationToken ct)
    {
        // RateLimits.WriteRejectionAsync has set the status and Retry-After; a token bucket knows no exact wait, so at least 1 s.
        if (string.IsNullOrEmpty(http.Response.Headers.RetryAfter))
        {
            http.Response.Headers.RetryAfter = "1";
        }

        http.Response.ContentType = "application/json; charset=utf-8";
        await http.Response.WriteAsync(
            string.Create(CultureInfo.InvariantCulture, $"{{\"status\":429,\"message\":\"{DelightedErrors.ReasonOf(429)}\"}}"), Encoding.UTF8, ct);
    }
}
