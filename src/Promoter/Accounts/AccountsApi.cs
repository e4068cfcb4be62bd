using System.Security.Claims;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Accounts;

/// <summary><c>/api/v1/workspace</c>, <c>/members</c>, <c>/api-keys</c>, <c>/audit</c>.</summary>
public static class AccountsApi
{
    public static IEndpointRouteBuilder MapAccountsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Accounts").RequireAuthorization();

        api.MapGet("/workspace", GetWorkspace).RequireScope(Scopes.WorkspaceRead)
            .WithSummary("Get the workspace's settings");
        api.MapPatch("/workspace", UpdateWorkspace).RequireScope(Scopes.WorkspaceWrite)
            .WithSummary("Change the workspace's name, time zone, throttle or sender");

        api.MapGet("/members", ListMembers).RequireScope(Scopes.MembersRead)
            .WithSummary("List the workspace's members");
        api.MapGet("/members/{id:guid}", GetMember).RequireScope(Scopes.MembersRead)
            .WithSummary("Get a member");
        api.MapPost("/members", AddMember).RequireScope(Scopes.MembersWrite)
            .WithSummary("Add a member with a role");
        api.MapPatch("/members/{id:guid}", ChangeMember).RequireScope(Scopes.MembersWrite)
            .WithSummary("Change a member's role or name");
        api.MapDelete("/members/{id:guid}", RemoveMember).RequireScope(Scopes.MembersWrite)
            .WithSummary("Remove a member from the workspace");

        api.MapGet("/api-keys", ListKeys).RequireScope(Scopes.ApiKeysRead)
            .WithSummary("List API keys (never the secret)");
        api.MapGet("/api-keys/{id:guid}", GetKey).RequireScope(Scopes.ApiKeysRead)
            .WithSummary("Get an API key's name, scopes and last use");
        api.MapPost("/api-keys", CreateKey).RequireScope(Scopes.ApiKeysWrite)
            .WithSummary("Create an API key; the key is shown once");
        api.MapDelete("/api-keys/{id:guid}", RevokeKey).RequireScope(Scopes.ApiKeysWrite)
            .WithSummary("Revoke an API key");

        api.MapGet("/audit", ListAudit).RequireScope(Scopes.AuditRead)
            .WithSummary("The workspace's audit log, newest first");
        return app;
    }

    public sealed record WorkspaceDto(Guid Id, string Name, string TimeZone, int ThrottleDays, string? SenderName, string? ReplyToEmail, DateTime CreatedAt);

    /// <summary>Empty <see cref="SenderName"/> or <see cref="ReplyToEmail"/> clears it (mail then shows the workspace name, replies go to Smtp:From).</summary>
    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record WorkspaceUpdate(string? Name, string? TimeZone, int? ThrottleDays, string? SenderName, string? ReplyToEmail);

    public sealed record MemberDto(Guid Id, Guid UserId, string Email, string DisplayName, string Role, DateTime CreatedAt);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record NewMember(string? Email, string? DisplayName, string? Password, string? Role);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record MemberChange(string? Role);

    public sealed record ApiKeyDto(Guid Id, string Name, string Prefix, string[] Scopes, DateTime CreatedAt, DateTime? LastUsedAt, DateTime? ExpiresAt, DateTime? RevokedAt);

    public sealed record IssuedApiKeyDto(Guid Id, string Name, string Prefix, string[] Scopes, DateTime CreatedAt, DateTime? ExpiresAt, string Key);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record NewApiKey(string? Name, string[]? Scopes, DateTime? ExpiresAt);

    public sealed record AuditDto(long Id, DateTime At, string Actor, string Action, string Target, string? Details);

    private static async Task<Ok<WorkspaceDto>> GetWorkspace(PromoterDb db, CancellationToken ct)
    {
        var ws = await db.Workspaces.SingleAsync(w => w.Id == db.Workspace.RequiredWorkspaceId, ct);
        return TypedResults.Ok(ToDto(ws));
    }

    private static async Task<Ok<WorkspaceDto>> UpdateWorkspace(WorkspaceUpdate body, PromoterDb db, AuditLog audit, Metrics.RollupMaintenance rollups, CancellationToken ct)
    {
        var ws = await db.Workspaces.SingleAsync(w => w.Id == db.Workspace.RequiredWorkspaceId, ct);
        var errors = new FieldErrors();
        if (body.Name is { } name)
        {
            name = name.Trim();
            if (name.Length is 0 or > 200 || name.Any(char.IsControl))
            {
                errors.Add("name", "Use 1 to 200 characters.");
            }
            else if (await db.Workspaces.AnyAsync(w => w.Name == name && w.Id != ws.Id, ct))
            {
                errors.Add("name", "A workspace with this name already exists.");
            }
            else
            {
                ws.Name = name;
            }
        }

        TimeZoneInfo? newZone = null;
        if (body.TimeZone is { } tz)
        {
            if (tz.Length > 64 || !TimeZoneInfo.TryFindSystemTimeZoneById(tz, out var zone) || !zone.HasIanaId)
            {
                errors.Add("timeZone", "Use an IANA time zone such as Europe/Stockholm.");
            }
            else if (tz != ws.TimeZone)
            {
                ws.TimeZone = tz;
                newZone = zone;
            }
        }

        if (body.ThrottleDays is { } days)
        {
            if (days is < 0 or > 3650)
            {
                errors.Add("throttleDays", "Use 0 to 3650 days.");
            }
            else
            {
                ws.ThrottleDays = days;
            }
        }

        if (body.SenderName is { } senderName)
        {
            // The display name of every survey mail's From header: a line break here would add headers (Bcc).
            ws.SenderName = Platform.Email.EmailHeaders.Check(senderName, "senderName", Platform.Email.EmailHeaders.MaxDisplayName, errors);
        }

        if (body.ReplyToEmail is { } replyTo)
        {
            if (replyTo.Length == 0)
            {
                ws.ReplyToEmail = null;
            }
            else if (!EmailAddresses.TryNormalize(replyTo, out var normalized))
            {
                errors.Add("replyToEmail", "Use a single email address such as care@example.com.");
            }
            else
            {
                ws.ReplyToEmail = normalized;
            }
        }

        errors.ThrowIfAny();
        audit.Record("workspace.updated", $"workspace:{ws.Id}");
        await db.SaveChangesAsync(ct);
        if (newZone is not null)
        {
            // Days on dashboards are local days: recount the rollups in the new zone.
            await rollups.ChangeTimeZoneAsync(newZone, ct);
        }

        return TypedResults.Ok(ToDto(ws));
    }

    private static async Task<Ok<List<MemberDto>>> ListMembers(PromoterDb db, CancellationToken ct) =>
        TypedResults.Ok(await db.Memberships.OrderBy(m => m.CreatedAt)
            .Select(m => new { m.Id, m.UserId, m.User!.Email, m.User.DisplayName, m.Role, m.CreatedAt })
            .AsAsyncEnumerable()
            .Select(m => new MemberDto(m.Id, m.UserId, m.Email, m.DisplayName, m.Role.ToWireName(), m.CreatedAt))
            .ToListAsync(ct));

    private static async Task<Ok<MemberDto>> GetMember(Guid id, PromoterDb db, CancellationToken ct)
    {
        var m = await db.Memberships.Include(x => x.User).SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException("member");
        return TypedResults.Ok(ToDto(m));
    }

    private static async Task<Created<MemberDto>> AddMember(NewMember body, WorkspaceAdmin admin, ClaimsPrincipal user, CancellationToken ct)
    {
        var m = await admin.AddMemberAsync(body.Email, body.DisplayName, body.Password, body.Role, ActingRole(user), ct);
        return TypedResults.Created($"/api/v1/members/{m.Id}", ToDto(m));
    }

    private static async Task<Ok<MemberDto>> ChangeMember(Guid id, MemberChange body, WorkspaceAdmin admin, ClaimsPrincipal user, CancellationToken ct) =>
        TypedResults.Ok(ToDto(await admin.ChangeRoleAsync(id, body.Role, ActingRole(user), ct)));

    private static async Task<NoContent> RemoveMember(Guid id, WorkspaceAdmin admin, ClaimsPrincipal user, CancellationToken ct)
    {
        await admin.RemoveMemberAsync(id, ActingRole(user), ct);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<ApiKeyDto>>> ListKeys(PromoterDb db, CancellationToken ct) =>
        TypedResults.Ok((await db.ApiKeys.OrderBy(k => k.CreatedAt).ToListAsync(ct)).Select(ToDto).ToList());

    private static async Task<Ok<ApiKeyDto>> GetKey(Guid id, PromoterDb db, CancellationToken ct) =>
        TypedResults.Ok(ToDto(await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct) ?? throw new NotFoundException("API key")));

    private static async Task<Created<IssuedApiKeyDto>> CreateKey(NewApiKey body, ApiKeys keys, ClaimsPrincipal user, CancellationToken ct)
    {
        var issued = await keys.CreateAsync(body.Name, body.Scopes, user.UserIdOf(), body.ExpiresAt, ct);
        var k = issued.Key;
        return TypedResults.Created($"/api/v1/api-keys/{k.Id}",
            new IssuedApiKeyDto(k.Id, k.Name, k.Prefix, [.. k.ScopeSet.Order(StringComparer.Ordinal)], k.CreatedAt, k.ExpiresAt, issued.PlainText));
    }

    private static async Task<Ok<ApiKeyDto>> RevokeKey(Guid id, ApiKeys keys, CancellationToken ct) =>
        TypedResults.Ok(ToDto(await keys.RevokeAsync(id, ct)));

    private static async Task<Ok<List<AuditDto>>> ListAudit(long? before, int? limit, PromoterDb db, CancellationToken ct)
    {
        if (limit is < 1 or > 500)
        {
            throw RequestValidationException.For("limit", "Use 1 to 500.");
        }

        var query = db.AuditEntries.AsQueryable();
        if (before is { } b)
        {
            query = query.Where(a => a.Id < b);
        }

        return TypedResults.Ok(await query.OrderByDescending(a => a.Id).Take(limit ?? 100)
            .Select(a => new AuditDto(a.Id, a.At, a.Actor, a.Action, a.Target, a.Details)).ToListAsync(ct));
    }

    // An API key with members:write acts as an admin: it may manage everyone but owners.
    private static Role ActingRole(ClaimsPrincipal user) => user.RoleOf() ?? Role.Admin;

    private static WorkspaceDto ToDto(Workspace w) => new(w.Id, w.Name, w.TimeZone, w.ThrottleDays, w.SenderName, w.ReplyToEmail, w.CreatedAt);

    private static MemberDto ToDto(Membership m) => new(m.Id, m.UserId, m.User?.Email ?? "", m.User?.DisplayName ?? "", m.Role.ToWireName(), m.CreatedAt);

    private static ApiKeyDto ToDto(ApiKey k) =>
        new(k.Id, k.Name, k.Prefix, [.. k.ScopeSet.Order(StringComparer.Ordinal)], k.CreatedAt, k.LastUsedAt, k.ExpiresAt, k.RevokedAt);
}
