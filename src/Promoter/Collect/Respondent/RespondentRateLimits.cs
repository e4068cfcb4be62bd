using System.Text;
using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
using Promoter.Localization;
using Promoter.Platform;

namespace Promoter.Collect.Respondent;

/// <summary>Marks an endpoint whose posts count against the respondent rate limits.</summary>
[AttributeUsage(AttributeTargets.Class)]
public class RespondentRateLimitedAttribute : Attribute;

/// <summary>The respondent pages: rate-limited, and a person who hits the limit gets a page in their language, not JSON.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class RespondentEndpointAttribute : RespondentRateLimitedAttribute, IRateLimitRejectionPage
{
    public async Task WriteAsync(HttpContext http, CancellationToken ct)
    {
        // Written by hand: the rate limiter answers before the page would run, and must stay cheap under a flood.
        var catalog = http.RequestServices.GetRequiredService<LocaleCatalog>();
        var locale = http.RequestServices.GetRequiredService<LanguageChooser>().Choose(
            [.. catalog.All.Select(l => l.Code)], LocaleCatalog.Fallback, http.Request.Query["lang"].ToString(), null,
            http.Request.Headers.AcceptLanguage.ToString());
        var view = new SurveyView
        {
            Locale = locale,
            Nonce = SurveyViews.NewNonce(),
            Title = locale.Text("survey.error.rate_limited"),
            BrandName = "",
            Step = PageStep.Message,
            Embed = http.Request.Query["embed"] == "1",
        };
        RespondentHeaders.Apply(http.Response, view);
        var html = http.RequestServices.GetRequiredService<HtmlEncoder>();
        var assets = http.RequestServices.GetRequiredService<RespondentAssets>();
        http.Response.ContentType = "text/html; charset=utf-8";
        await http.Response.WriteAsync(
            $"<!DOCTYPE html><html lang=\"{html.Encode(locale.Code)}\" dir=\"{locale.Direction}\"><head><meta charset=\"utf-8\">" +
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">" +
            $"<title>{html.Encode(view.Title)}</title><style nonce=\"{html.Encode(view.Nonce)}\">{assets.Css}</style></head>" +
            $"<body><main><div class=\"card\"><p class=\"msg\" role=\"alert\">{html.Encode(view.Title)}</p></div></main></body></html>",
            Encoding.UTF8, ct);
    }
}

/// <summary>
/// Sliding-window limits on respondent posts, chained: per network prefix, and per survey (anonymous links) or per
/// token (personal links). Only posts count, so opening a page never uses up a network's tries.
/// </summary>
public static class RespondentRateLimits
{
    public static PartitionedRateLimiter<HttpContext> Create(RespondentOptions options) =>
        PartitionedRateLimiter.CreateChained(
            PartitionedRateLimiter.Create<HttpContext, string>(http => IsCounted(http)
                ? RateLimitPartition.GetSlidingWindowLimiter("net " + ClientAddress.PrefixOf(http.Connection.RemoteIpAddress), _ => PerMinute(options.PostsPerNetworkPerMinute))
                : RateLimitPartition.GetNoLimiter("")),
            PartitionedRateLimiter.Create<HttpContext, string>(http =>
            {
                if (!IsCounted(http))
                {
                    return RateLimitPartition.GetNoLimiter("");
                }

                var token = http.GetRouteValue("token")?.ToString();
                return token is not null
                    ? RateLimitPartition.GetSlidingWindowLimiter("token " + token, _ => PerMinute(options.PostsPerTokenPerMinute))
                    : RateLimitPartition.GetSlidingWindowLimiter("survey " + http.GetRouteValue("surveyId"), _ => PerMinute(options.PostsPerSurveyPerMinute));
            }));

    private static bool IsCounted(HttpContext http) =>
        HttpMethods.IsPost(http.Request.Method) && http.GetEndpoint()?.Metadata.GetMetadata<RespondentRateLimitedAttribute>() is not null;

    private static SlidingWindowRateLimiterOptions PerMinute(int permits) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromMinutes(1),
        SegmentsPerWindow = 6,
        QueueLimit = 0,
    };
}
