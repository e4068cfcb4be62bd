using Microsoft.AspNetCore.Routing;
using Promoter.Accounts;

namespace Promoter.Tests.Infrastructure;

/// <summary>Every API endpoint the running server exposes, read from its routing table, so new endpoints are covered by default.</summary>
public static class ApiEndpoints
{
    public sealed record Endpoint(string Method, string Pattern, string? Scope)
    {
        public bool HasParameters => Pattern.Contains('{', StringComparison.Ordinal);

        /// <summary>The collection a parameterised route addresses: the segment before its first parameter.</summary>
        public string Resource
        {
            get
            {
                var segments = Pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
                var first = Array.FindIndex(segments, s => s.StartsWith('{'));
                return first > 0 ? segments[first - 1] : segments[^1];
            }
        }

        public string Fill(IReadOnlyDictionary<string, string> values) =>
            string.Join('/', Pattern.Split('/').Select(s =>
            {
                if (!s.StartsWith('{'))
                {
                    return s;
                }

                var name = s.Trim('{', '}').Split(':')[0].TrimEnd('?');
                return values.TryGetValue(name, out var v) ? v : throw new InvalidOperationException($"No value for {{{name}}} in {Pattern}.");
            }));

        /// <summary>The route filled with made-up ids of the right shape (a Guid, or a number for <c>:long</c>).</summary>
        public string WithRandomIds() => string.Join('/', Pattern.Split('/').Select(s =>
            !s.StartsWith('{') ? s
            : s.Contains(":long", StringComparison.Ordinal) || s.Contains(":int", StringComparison.Ordinal) ? "987654321"
            : Guid.NewGuid().ToString()));

        public override string ToString() => $"{Method} {Pattern}";
    }

    public static IReadOnlyList<Endpoint> Enumerate(IServiceProvider services, string prefix = "/api/") =>
        services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => ("/" + e.RoutePattern.RawText?.TrimStart('/')).StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => new Endpoint(m, "/" + e.RoutePattern.RawText!.TrimStart('/'), e.Metadata.GetMetadata<RequiredScope>()?.Scope)))
            .Distinct()
            .OrderBy(e => e.Pattern, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal)
            .ToList();

    public static bool IsWrite(string method) => method is "POST" or "PUT" or "PATCH" or "DELETE";
}
