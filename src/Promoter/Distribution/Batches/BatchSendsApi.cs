using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Promoter.Accounts;
using Promoter.Distribution.Contacts;
using Promoter.Platform;

namespace Promoter.Distribution.Batches;

[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BatchFilterBody(string? Email, string? Name, string? Locale, string? Property, string? CreatedFrom, string? CreatedTo);

/// <summary>The body of <c>POST /api/v1/batch-sends</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BatchSendBody(Guid? SurveyId, string? Name, BatchFilterBody? Filter);

/// <summary><c>/api/v1/batch-sends</c>: a one-off send of a survey to a filtered set of contacts, and its progress.</summary>
public static class BatchSendsApi
{
    public static IEndpointRouteBuilder MapBatchSendsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/batch-sends").WithTags("Sending").RequireAuthorization();
        api.MapPost("/", Start).RequireScope(Scopes.DistributionWrite)
            .WithSummary("Start a batch send to the contacts a filter selects");
        api.MapGet("/", List).RequireScope(Scopes.ContactsRead)
            .WithSummary("List batch sends with their progress");
        api.MapGet("/{id:guid}", Get).RequireScope(Scopes.ContactsRead)
            .WithSummary("Get a batch send's progress");
        api.MapPost("/{id:guid}/cancel", Cancel).RequireScope(Scopes.DistributionWrite)
            .WithSummary("Cancel a batch send; invitations already made stay");
        return app;
    }

    /// <summary>202: the job is stored and will be worked through in the background; poll the Location for progress.</summary>
    private static async Task<Accepted<BatchProgress>> Start(BatchSendBody body, BatchSends batches, CancellationToken ct)
    {
        var errors = new FieldErrors();
        if (body.SurveyId is null)
        {
            errors.Add("surveyId", "Choose the survey to send.");
        }

        var f = body.Filter;
        var filter = ContactFilter.Parse(f?.Email, f?.Name, f?.Locale, f?.Property, f?.CreatedFrom, f?.CreatedTo, errors);
        errors.ThrowIfAny();
        var job = await batches.StartAsync(body.SurveyId!.Value, body.Name, filter, ct);
        return TypedResults.Accepted($"/api/v1/batch-sends/{job.Id}", await batches.ProgressAsync(job.Id, ct));
    }

    private static async Task<Ok<IReadOnlyList<BatchProgress>>> List(BatchSends batches, CancellationToken ct) =>
        TypedResults.Ok(await batches.RecentAsync(50, ct));

    /// <summary>200 with the progress after cancelling; cancelling a cancelled send is a no-op.</summary>
    private static async Task<Ok<BatchProgress>> Cancel(Guid id, BatchSends batches, CancellationToken ct) =>
        TypedResults.Ok(await batches.CancelAsync(id, ct));

    private static async Task<Ok<BatchProgress>> Get(Guid id, BatchSends batches, CancellationToken ct) =>
        TypedResults.Ok(await batches.ProgressAsync(id, ct));
}
