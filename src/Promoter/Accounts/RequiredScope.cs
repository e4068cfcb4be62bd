namespace Promoter.Accounts;

/// <summary>Endpoint metadata naming the scope an endpoint needs; tests enumerate it to check every write is guarded.</summary>
public sealed record RequiredScope(string Scope);

public static class ScopeAuthorization
{
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder
    {
        if (!Scopes.IsKnown(scope))
        {
            throw new ArgumentException($"Unknown scope {scope}.", nameof(scope));
        }

        return builder
            .WithMetadata(new RequiredScope(scope))
            .RequireAuthorization(p => p.RequireAuthenticatedUser().RequireClaim(Scopes.ClaimType, scope));
    }
}
