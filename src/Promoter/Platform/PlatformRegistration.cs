using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.WebEncoders;
using Microsoft.Extensions.FileProviders;
using Promoter.Accounts;
using Promoter.Data;

namespace Promoter.Platform;

/// <summary>Cross-cutting server plumbing: errors, OpenAPI, health, headers, static files, the request pipeline.</summary>
public static class PlatformRegistration
{
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        builder.AddPromoterProblemDetails();
        builder.AddPromoterOpenApi();
        builder.Services.AddOptions<PromoterOptions>().BindConfiguration(PromoterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<PublicUrls>();
        builder.Services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false));
            o.SerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.Never;
            // The web defaults read "7" as 7; an API that takes integers takes JSON integers.
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        builder.Services.Configure<ForwardedHeadersOptions>(o =>
        {
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // Trusted proxies are configured by the operator (ForwardedHeaders:KnownProxies); none by default.
            o.KnownIPNetworks.Clear();
            o.KnownProxies.Clear();
        });
        builder.WebHost.ConfigureKestrel(o =>
        {
            o.AddServerHeader = false;
            o.Limits.MaxRequestBodySize = 1024 * 1024;
        });
        // No client-side validation library is served, so its markup is dead weight; worse, an empty validation summary
        // then carries an inline style="display:none" that our own Content-Security-Policy blocks, leaving a stray
        // bullet on every form page. Without it, a summary with nothing to say is not rendered at all.
        builder.Services.AddRazorPages(o => o.RootDirectory = "/")
            .AddViewOptions(o => o.HtmlHelperOptions.ClientValidationEnabled = false);
        // Razor escapes every non-ASCII character by default, which turns Arabic and Thai pages into entity soup
        // three times the size; HTML-significant characters are still escaped.
        builder.Services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        return builder;
    }

    public static WebApplication UsePlatform(this WebApplication app)
    {
        app.UseForwardedHeaders();
        // Browsers get an HTML error page; API callers (and anything asking for JSON) get problem details.
        app.UseWhen(IsPageRequest, page =>
        {
            page.UseExceptionHandler("/error");
            page.UseStatusCodePagesWithReExecute("/error", "?status={0}");
        });
        app.UseWhen(http => !IsPageRequest(http), api =>
        {
            api.UseExceptionHandler();
            api.UseStatusCodePages();
        });
        app.Use(SecurityHeaders.ApplyAsync);
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, "Static")),
            RequestPath = "/static",
            OnPrepareResponse = c => c.Context.Response.Headers.CacheControl = "public, max-age=3600",
        });
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.Use(EnterWorkspaceAsync);
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    private static bool IsPageRequest(HttpContext http) =>
        !Accounts.CookieSessions.IsApiRequest(http.Request)
        && !http.Request.Path.StartsWithSegments("/openapi", StringComparison.OrdinalIgnoreCase)
        && !http.Request.Path.StartsWithSegments("/static", StringComparison.OrdinalIgnoreCase);

    /// <summary>Binds the request's workspace (from its cookie or API key) to the scoped <see cref="WorkspaceContext"/>.</summary>
    private static Task EnterWorkspaceAsync(HttpContext http, RequestDelegate next)
    {
        if (http.User.WorkspaceOf() is { } workspaceId)
        {
            http.RequestServices.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
        }

        return next(http);
    }

    public static WebApplication MapHealth(this WebApplication app)
    {
        app.MapGet("/healthz", () => TypedResults.Text("ok")).ExcludeFromDescription();
        app.MapGet("/readyz", async (DatabaseSelfCheck check, CancellationToken ct) =>
                await check.IsReadyAsync(ct) ? Results.Text("ready") : Results.Text("database not ready", statusCode: 503))
            .ExcludeFromDescription();
        return app;
    }
}
