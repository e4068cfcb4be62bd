namespace Promoter.Integrations.Delighted;

/// <summary>
/// Delighted documents every path with a <c>.json</c> suffix while its official clients send none; both are served.
/// A path ending in a parameter keeps one route and the handler drops the suffix (<see cref="WithoutSuffix"/>).
/// </summary>
internal static class DelightedRoutes
{
    public static void Map(RouteGroupBuilder group, string method, string pattern, Delegate handler, string scope)
    {
        Add(group.MapMethods(pattern, [method], handler), scope);
        if (!pattern.EndsWith('}'))
        {
            Add(group.MapMethods(pattern + ".json", [method], handler), scope);
        }
    }

    private static void Add(RouteHandlerBuilder route, string scope) =>
        route.WithMetadata(new Accounts.RequiredScope(scope)).AddEndpointFilter(new DelightedGate(scope));

    public static string WithoutSuffix(string segment) =>
        segment.EndsWith(".json", StringComparison.Ordinal) ? segment[..^".json".Length] : segment;
}
