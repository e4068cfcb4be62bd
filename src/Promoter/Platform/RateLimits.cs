using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using System.Threading.RateLimiting;

namespace Promoter.Platform;

/// <summary>
/// Endpoints used by people rather than API clients (the respondent page) answer a 429 with a page of their own:
/// endpoint metadata implementing this replaces the problem details.
/// </summary>
public interface IRateLimitRejectionPage
{
    Task WriteAsync(HttpContext http, CancellationToken ct);
}

/// <summary>A 429 always says when to come back (<c>Retry-After</c>) and uses the one error contract.</summary>
public static class RateLimits
{
    public static async ValueTask WriteRejectionAsync(OnRejectedContext context, CancellationToken ct)
    {
        var http = context.HttpContext;
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(60);
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        if (http.GetEndpoint()?.Metadata.GetMetadata<IRateLimitRejectionPage>() is { } page)
        {
            await page.WriteAsync(http, ct);
            return;
        }

        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails = new ProblemDetails
            {
                Status = 429,
                Title = "Too many requests. Try again after the time in Retry-After.",
                Extensions = { ["code"] = "rate_limited" },
            },
        });
    }
}
