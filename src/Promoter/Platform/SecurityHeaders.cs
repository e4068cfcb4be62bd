namespace Promoter.Platform;

/// <summary>
/// Defaults for every response. Pages that need something else (the embeddable survey page) set their own
/// <c>Content-Security-Policy</c> before the response starts, and these defaults step aside.
/// </summary>
public static class SecurityHeaders
{
    public const string DashboardPolicy =
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'; object-src 'none'; base-uri 'none'; form-action 'self'";

    public static Task ApplyAsync(HttpContext http, RequestDelegate next)
    {
        http.Response.OnStarting(() =>
        {
            var headers = http.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            if (!headers.ContainsKey("Referrer-Policy"))
            {
                headers["Referrer-Policy"] = "strict-origin-when-cross-origin";
            }

            if (!headers.ContainsKey(Microsoft.Net.Http.Headers.HeaderNames.ContentSecurityPolicy))
            {
                headers.ContentSecurityPolicy = DashboardPolicy;
            }

            return Task.CompletedTask;
        });
        return next(http);
    }
}
