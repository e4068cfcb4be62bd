using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Promoter.Platform;

namespace Promoter.Accounts;

public static class AccountsRegistration
{
    public const string LoginRateLimit = "login";

    /// <summary>Users, roles, API keys, sign-in and the audit log.</summary>
    public static IHostApplicationBuilder AddAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddHttpContextAccessor();
        services.AddMemoryCache();
        services.AddSingleton<Passwords>();
        services.AddSingleton<ApiKeyUsage>();
        services.AddScoped<AuditLog>();
        services.AddScoped<WorkspaceAdmin>();
        services.AddScoped<ApiKeys>();
        services.AddScoped<PasswordSignIn>();
        services.AddSingleton<SignInThrottle>();
        return builder;
    }

    /// <summary>Authentication, authorization and the sign-in rate limit; only the server needs these.</summary>
    public static WebApplicationBuilder AddAccountsWeb(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddHostedService<ApiKeyUsageWriter>();
        services.AddAuthentication(o =>
            {
                o.DefaultScheme = "Promoter";
                o.DefaultChallengeScheme = "Promoter";
            })
            .AddPolicyScheme("Promoter", "Cookie or API key", o => o.ForwardDefaultSelector = http =>
                ApiKeyAuthenticationHandler.ReadKey(http.Request) is null ? CookieSessions.Scheme : ApiKeyAuthenticationHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null)
            .AddCookie(CookieSessions.Scheme, o =>
            {
                o.Cookie.Name = CookieSessions.CookieName;
                o.Cookie.HttpOnly = true;
                o.Cookie.SecurePolicy = CookieSecurePolicy.Always;
                o.Cookie.SameSite = SameSiteMode.Lax;
                o.Cookie.Path = "/";
                o.ExpireTimeSpan = TimeSpan.FromMinutes(30);
                o.SlidingExpiration = true;
                o.LoginPath = "/login";
                o.LogoutPath = "/logout";
                o.AccessDeniedPath = "/forbidden";
                o.Events.OnValidatePrincipal = CookieSessions.ValidateAsync;
                o.Events.OnRedirectToLogin = c => ApiAwareRedirect(c, StatusCodes.Status401Unauthorized);
                o.Events.OnRedirectToAccessDenied = c => ApiAwareRedirect(c, StatusCodes.Status403Forbidden);
            });
        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            // Not a credential, so no __Host- prefix: that would need Secure, which antiforgery refuses on plain
            // http (the local first run). The session cookie stays __Host- and Secure; browsers accept it on localhost.
            o.Cookie.Name = "promoter-af";
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.HeaderName = "X-CSRF-TOKEN";
        });
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RateLimits.WriteRejectionAsync;
            // Only attempts count: showing the form again must not use up a network's tries.
            o.AddPolicy(LoginRateLimit, http => HttpMethods.IsPost(http.Request.Method)
                ? RateLimitPartition.GetFixedWindowLimiter(
                    ClientAddress.PrefixOf(http.Connection.RemoteIpAddress),
                    _ => new FixedWindowRateLimiterOptions { PermitLimit = 10, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 })
                : RateLimitPartition.GetNoLimiter("form"));
        });
        return builder;
    }

    private static Task ApiAwareRedirect(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (CookieSessions.IsApiRequest(context.Request))
        {
            context.Response.StatusCode = status;
            return Task.CompletedTask;
        }

        context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
