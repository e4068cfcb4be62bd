using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Collect.Respondent;
using Promoter.Data;
using Promoter.Localization;
using Promoter.Platform;

namespace Promoter.Collect.Widget;

/// <summary>
/// The widget's only API: <c>GET /widget/{surveyId}/session</c>, called by <c>widget.js</c> on the customer's site.
/// It answers only allowed origins (CORS echoes the origin, never with credentials), says whether to show the survey
/// (not to someone surveyed within the throttle window, not on a closed survey), and returns the embed URL carrying
/// the visitor's identity signed.
/// </summary>
public static class WidgetSessions
{
    public const string UserIdProperty = "user_id";

    public sealed record Session(bool Show, string? Reason, string? Url, string Direction);

    public static IEndpointRouteBuilder MapWidget(this IEndpointRouteBuilder app)
    {
        app.MapGet("/widget.js", () => Results.Text(WidgetScript.Source, "text/javascript; charset=utf-8"))
            .ExcludeFromDescription().AllowAnonymous()
            .AddEndpointFilter(async (c, next) =>
            {
                c.HttpContext.Response.Headers.CacheControl = "public, max-age=3600";
                return await next(c);
            });
        app.MapGet("/widget/{surveyId:guid}/session", GetSessionAsync).ExcludeFromDescription().AllowAnonymous();
        return app;
    }

    private static async Task<IResult> GetSessionAsync(Guid surveyId, HttpContext http, RespondentTargets targets, PromoterDb db,
        WidgetTickets tickets, LanguageChooser chooser, TimeProvider clock, CancellationToken ct)
    {
        var target = await targets.SurveyAsync(surveyId, ct);
        var origin = http.Request.Headers.Origin.ToString();
        if (target is null)
        {
            throw new NotFoundException("survey");
        }

        if (origin.Length == 0 || !target.Definition.AllowedOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            throw new ForbiddenException("origin_not_allowed", "This site is not allowed to embed the survey; add its origin to the survey's allowed origins.");
        }

        http.Response.Headers.AccessControlAllowOrigin = origin;
        http.Response.Headers.Vary = "Origin";
        http.Response.Headers.CacheControl = "no-store";

        var query = http.Request.Query;
        var errors = new FieldErrors();
        string? email = null;
        if (query["email"].ToString() is { Length: > 0 } rawEmail && !EmailAddresses.TryNormalize(rawEmail, out email))
        {
            errors.Add("email", "Enter a valid email address.");
        }

        var userId = TextInput.Line(query["uid"].ToString(), "uid", 256, errors);
        var name = TextInput.Line(query["name"].ToString(), "name", 256, errors);
        var properties = TextInput.Properties(
            query.Where(q => q.Key.StartsWith("p.", StringComparison.Ordinal)).ToDictionary(q => q.Key[2..], q => (string?)q.Value.ToString()),
            "p", errors);
        errors.ThrowIfAny();

        var locale = chooser.Choose(target.Survey.LanguageList, target.Survey.DefaultLanguage, query["lang"], null, http.Request.Headers.AcceptLanguage);
        if (target.Survey.IsClosed)
        {
            return Results.Ok(new Session(false, "closed", null, locale.Direction));
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var workspace = await db.Workspaces.AsNoTracking().SingleAsync(w => w.Id == target.WorkspaceId, ct);
        var since = now.AddDays(-(target.Survey.ThrottleDays ?? workspace.ThrottleDays));
        if (await SurveyedSinceAsync(db, email, userId, since, ct))
        {
            return Results.Ok(new Session(false, "throttled", null, locale.Direction));
        }

        var ticket = tickets.Protect(new WidgetIdentity(surveyId, email, userId, name, properties, clock.GetUtcNow().ToUnixTimeSeconds()));
        var link = new RespondentLink($"/s/{surveyId}", locale.Code, Kiosk: false, Embed: true) { Widget = ticket };
        var publicUrls = http.RequestServices.GetRequiredService<PublicUrls>();
        return Results.Ok(new Session(true, null, publicUrls.Base + link.With(locale.Code), locale.Direction));
    }

    /// <summary>Any answer from this person in the workspace since <paramref name="since"/>, on any survey or channel.</summary>
    private static async Task<bool> SurveyedSinceAsync(PromoterDb db, string? email, string? userId, DateTime since, CancellationToken ct)
    {
        var recent = db.Responses.AsNoTracking().Where(r => r.RespondedAt >= since);
        if (email is not null)
        {
            var key = EmailAddresses.Key(email);
            if (await (from r in recent join c in db.Contacts on r.ContactId equals c.Id where c.EmailKey == key select r.Id).AnyAsync(ct))
            {
                return true;
            }
        }

        if (userId is not null)
        {
            // Properties are stored as serialized JSON; match the exact serialized pair.
            var fragment = $"\"{UserIdProperty}\":{JsonSerializer.Serialize(userId)}";
            return await recent.AnyAsync(r => r.Properties != null && r.Properties.Contains(fragment), ct);
        }

        return false;
    }
}
