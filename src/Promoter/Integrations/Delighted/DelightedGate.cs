using Microsoft.Net.Http.Headers;
using Promoter.Accounts;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// What every <c>/v1</c> call passes before its handler: an API key (HTTP Basic with the key as user name, as Delighted
/// clients send it, or a Bearer key), the endpoint's scope, a JSON-accepting client, and errors in Delighted's shape.
/// Done as a filter rather than with <c>RequireAuthorization</c> so refusals carry Delighted's body, not problem details.
/// </summary>
internal sealed class DelightedGate(string scope) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        // The rate limiter and a body-less 2xx are the only things that reach a client without this filter; both are fine.
        if (http.User.Identity is not { IsAuthenticated: true, AuthenticationType: ApiKeyAuthenticationHandler.SchemeName })
        {
            http.Response.Headers.WWWAuthenticate = "Basic realm=\"Promoter Delighted-compatible API\"";
            return DelightedErrors.Write(StatusCodes.Status401Unauthorized);
        }

        if (!http.User.HasClaim(Scopes.ClaimType, scope))
        {
            return DelightedErrors.Write(StatusCodes.Status403Forbidden, new Dictionary<string, string[]> { ["base"] = [$"The API key lacks the {scope} scope."] });
        }

        if (!AcceptsJson(http.Request))
        {
            return DelightedErrors.Write(StatusCodes.Status406NotAcceptable);
        }

        try
        {
            return await next(context);
        }
        catch (Exception e) when (DelightedErrors.FromException(e) is { } result)
        {
            return result;
        }
    }

    private static bool AcceptsJson(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        if (accept.Count == 0 || !MediaTypeHeaderValue.TryParseList(accept, out var ranges) || ranges.Count == 0)
        {
            return accept.Count == 0 || string.IsNullOrWhiteSpace(accept.ToString());
        }

        return ranges.Any(r => r.Quality != 0 && (r.MatchesAllTypes || r.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase)
                                                  || r.MediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                                                  || r.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase)));
    }
}
