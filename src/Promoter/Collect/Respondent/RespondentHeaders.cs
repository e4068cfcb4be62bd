using Microsoft.Net.Http.Headers;

namespace Promoter.Collect.Respondent;

/// <summary>
/// The respondent page's own headers. Its inline style and script run only with this response's nonce; nothing
/// else loads except the survey's logo. Framing is allowed only in embed mode and only by the survey's origins.
/// No page is cached (each carries a fresh nonce and a submission id) and no URL leaks through Referer (personal
/// links carry their token).
/// </summary>
public static class RespondentHeaders
{
    public static void Apply(HttpResponse response, SurveyView view)
    {
        var nonce = $"'nonce-{view.Nonce}'";
        var images = LogoOrigin(view.LogoUrl) is { } origin ? $"img-src {origin}; " : "";
        var ancestors = view.Embed && view.EmbedOrigins.Count > 0 ? string.Join(' ', view.EmbedOrigins) : "'none'";
        response.Headers.ContentSecurityPolicy =
            $"default-src 'none'; style-src {nonce}; script-src {nonce}; connect-src 'self'; {images}form-action 'self'; " +
            $"frame-ancestors {ancestors}; base-uri 'none'";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers.CacheControl = "no-store";
        response.Headers[HeaderNames.Vary] = "Accept-Language";
    }

    private static string? LogoOrigin(string? logoUrl) =>
        logoUrl is not null && Uri.TryCreate(logoUrl, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps
            ? uri.GetLeftPart(UriPartial.Authority)
            : null;
}
