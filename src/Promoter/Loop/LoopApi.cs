using System.Security.Claims;
using Microsoft.AspNetCore.Http.HttpResults;
using Promoter.Accounts;

namespace Promoter.Loop;

public sealed record NoteInput(string? Body);

/// <summary><c>/api/v1/cases</c>, <c>/api/v1/alert-rules</c>, <c>/api/v1/loop/settings</c> and <c>/api/v1/loop/metrics</c>.</summary>
public static class LoopApi
{
    public static IEndpointRouteBuilder MapLoopApi(this IEndpointRouteBuilder app)
    {
        var cases = app.MapGroup("/api/v1/cases").WithTags("Cases").RequireAuthorization();
        cases.MapGet("/", List).RequireScope(Scopes.CasesRead)
            .WithSummary("List follow-up cases with filters");
        cases.MapGet("/{id:guid}", Get).RequireScope(Scopes.CasesRead)
            .WithSummary("Get a case with its notes, messages and history");
        cases.MapPatch("/{id:guid}", Update).RequireScope(Scopes.CasesWrite)
            .WithSummary("Change a case's status, owner, due time, tags or root cause");
        cases.MapPost("/{id:guid}/notes", AddNote).RequireScope(Scopes.CasesWrite)
            .WithSummary("Add a note to a case");
        cases.MapPost("/{id:guid}/replies", Reply).RequireScope(Scopes.CasesWrite)
            .WithSummary("Reply to the respondent by email from a case");
        cases.MapPost("/{id:guid}/contacts", LogContact).RequireScope(Scopes.CasesWrite)
            .WithSummary("Log a call or another contact with the respondent (counts as the first contact)");

        var rules = app.MapGroup("/api/v1/alert-rules").WithTags("Alert rules").RequireAuthorization();
        rules.MapGet("/", async (AlertRuleEditor editor, CancellationToken ct) => TypedResults.Ok(await editor.ListAsync(ct))).RequireScope(Scopes.CasesRead)
            .WithSummary("List alert rules");
        rules.MapPost("/", async (AlertRuleInput body, AlertRuleEditor editor, CancellationToken ct) =>
        {
            var rule = await editor.CreateAsync(body, ct);
            return TypedResults.Created($"/api/v1/alert-rules/{rule.Id}", rule);
        }).RequireScope(Scopes.WorkspaceWrite)
            .WithSummary("Create an alert rule (score, comment keyword or segment; email and webhook)");
        rules.MapPatch("/{id:guid}", async (Guid id, AlertRuleInput body, AlertRuleEditor editor, CancellationToken ct) =>
            TypedResults.Ok(await editor.UpdateAsync(id, body, ct))).RequireScope(Scopes.WorkspaceWrite)
            .WithSummary("Change an alert rule");
        rules.MapDelete("/{id:guid}", async (Guid id, AlertRuleEditor editor, CancellationToken ct) =>
        {
            await editor.DeleteAsync(id, ct);
            return TypedResults.NoContent();
        }).RequireScope(Scopes.WorkspaceWrite)
            .WithSummary("Delete an alert rule");

        var loop = app.MapGroup("/api/v1/loop").WithTags("Loop").RequireAuthorization();
        loop.MapGet("/settings", async (LoopSettingsEditor editor, CancellationToken ct) => TypedResults.Ok(await editor.GetAsync(ct))).RequireScope(Scopes.CasesRead)
            .WithSummary("Get the loop settings (due times per category, escalation, assignment)");
        loop.MapPut("/settings", async (LoopSettingsInput body, LoopSettingsEditor editor, CancellationToken ct) =>
            TypedResults.Ok(await editor.SaveAsync(body, ct))).RequireScope(Scopes.WorkspaceWrite)
            .WithSummary("Replace the loop settings");
        loop.MapGet("/metrics", async (string? from, string? to, Guid? surveyId, LoopMetrics metrics, CancellationToken ct) =>
            TypedResults.Ok(await metrics.ComputeAsync(LoopMetrics.ParseWindow(from, to, surveyId), ct))).RequireScope(Scopes.MetricsRead)
            .WithSummary("Loop metrics: contacted within SLA, time to contact and resolve, recovery, root causes");
        loop.MapGet("/promoters", async (string? from, string? to, Guid? surveyId, PromoterActivation activation, CancellationToken ct) =>
            TypedResults.Ok(await activation.ListAsync(LoopMetrics.ParseWindow(from, to, surveyId), ct))).RequireScope(Scopes.ResponsesRead)
            .WithSummary("Promoters to thank, reward and ask for a referral or review, super-fans first");
        return app;
    }

    private static async Task<Ok<IReadOnlyList<CaseDto>>> List(string? status, string? owner, string? category, bool? overdue, Guid? surveyId, int? limit,
        CaseService cases, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await cases.ListAsync(new CaseQuery(status, owner, category, overdue ?? false, surveyId, limit ?? 100), CaseViewer.Of(user), ct));

    private static async Task<Ok<CaseDetail>> Get(Guid id, CaseService cases, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await cases.GetAsync(id, CaseViewer.Of(user), ct));

    private static async Task<Ok<CaseDto>> Update(Guid id, CasePatch body, CaseService cases, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(await cases.UpdateAsync(id, body, CaseViewer.Of(user), ct));

    private static async Task<Created<CaseActivityDto>> AddNote(Guid id, NoteInput body, CaseService cases, ClaimsPrincipal user, CancellationToken ct)
    {
        var note = await cases.AddNoteAsync(id, body.Body, CaseViewer.Of(user), ct);
        return TypedResults.Created($"/api/v1/cases/{id}", note);
    }

    private static async Task<Created<CaseActivityDto>> Reply(Guid id, ReplyInput body, CaseService cases, ClaimsPrincipal user, CancellationToken ct)
    {
        var reply = await cases.ReplyAsync(id, body, CaseViewer.Of(user), ct);
        return TypedResults.Created($"/api/v1/cases/{id}", reply);
    }

    /// <summary>A call or another contact outside Promoter's mail; it counts as the first contact.</summary>
    private static async Task<Created<CaseActivityDto>> LogContact(Guid id, ContactLogInput body, CaseService cases, ClaimsPrincipal user, CancellationToken ct)
    {
        var logged = await cases.LogContactAsync(id, body, CaseViewer.Of(user), ct);
        return TypedResults.Created($"/api/v1/cases/{id}", logged);
    }
}
