using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// The Delighted-compatible API at <c>/v1</c>, so integrations written for Delighted (shut down 2026-06-30) work by
/// changing only their host and key. Wire behaviour follows the official clients (ADR-011).
/// </summary>
public static class DelightedRegistration
{
    public static IHostApplicationBuilder AddDelighted(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<DelightedOptions>().BindConfiguration(DelightedOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptions<DelightedOptions>>((limits, delighted) =>
            limits.AddPolicy(DelightedRateLimit.Policy, http => DelightedRateLimit.Partition(http, delighted.Value)));
        return builder;
    }

    public static IEndpointRouteBuilder MapDelightedApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1").WithTags("Delighted-compatible").ExcludeFromDescription()
            .RequireRateLimiting(DelightedRateLimit.Policy).WithMetadata(new DelightedRateLimit());
        PeopleEndpoints.Map(v1);
        SurveyResponsesEndpoints.Map(v1);
        MetricsEndpoint.Map(v1);
        UnsubscribesEndpoints.Map(v1);
        BouncesEndpoint.Map(v1);
        AutopilotEndpoints.Map(v1);
        // Anything else under /v1 is Delighted's 404, never a page, a redirect or problem details.
        v1.Map("/{**path}", () => DelightedErrors.Write(StatusCodes.Status404NotFound));
        return app;
    }
}
