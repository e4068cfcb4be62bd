using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Promoter.Data;

namespace Promoter.Accounts;

/// <summary>
/// <c>Authorization: Bearer prm_…</c>, or HTTP Basic with the key as user name (what Delighted clients send).
/// Key rows are cached briefly so a busy intake endpoint does not read the key table per request;
/// revoking on this node drops the cache entry at once.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    IMemoryCache cache,
    TimeProvider clock,
    ApiKeyUsage usage) : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiKey";
    private static readonly TimeSpan s_cacheFor = TimeSpan.FromSeconds(30);

    internal sealed record CachedKey(Guid Id, Guid WorkspaceId, byte[] SecretHash, string[] Scopes, DateTime? ExpiresAt, DateTime? RevokedAt);

    public static string CacheKey(string prefix) => "apikey:" + prefix;

    public static string? ReadKey(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return header["Bearer ".Length..].Trim();
        }

        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..].Trim()));
                var colon = decoded.IndexOf(':', StringComparison.Ordinal);
                return colon < 0 ? decoded : decoded[..colon];
            }
            catch (FormatException)
            {
                return "";
            }
        }

        return null;
    }

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = ReadKey(Request);
        if (key is null)
        {
            return AuthenticateResult.NoResult();
        }

        if (!ApiKeyFormat.LooksValid(key))
        {
            return AuthenticateResult.Fail("Malformed API key.");
        }

        var prefix = ApiKeyFormat.PrefixOf(key);
        var row = await cache.GetOrCreateAsync(CacheKey(prefix), async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = s_cacheFor;
            var db = Context.RequestServices.GetRequiredService<PromoterDb>();
            return await CrossWorkspaceQueries.ApiKeyByPrefix(db, prefix)
                .Select(k => new CachedKey(k.Id, k.WorkspaceId, k.SecretHash, k.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), k.ExpiresAt, k.RevokedAt))
                .SingleOrDefaultAsync(Context.RequestAborted);
        });

        var now = clock.GetUtcNow().UtcDateTime;
        if (row is null || !CryptographicOperations.FixedTimeEquals(row.SecretHash, ApiKeyFormat.Hash(key)))
        {
            return AuthenticateResult.Fail("Unknown API key.");
        }

        if (row.RevokedAt is not null || row.ExpiresAt <= now)
        {
            return AuthenticateResult.Fail("The API key is revoked or expired.");
        }

        usage.Touch(row.Id, now);
        var claims = new List<Claim>
        {
            new(PromoterClaims.WorkspaceId, row.WorkspaceId.ToString()),
            new(PromoterClaims.ApiKeyPrefix, prefix),
        };
        claims.AddRange(row.Scopes.Select(s => new Claim(Scopes.ClaimType, s)));
        var identity = new ClaimsIdentity(claims, SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        return Task.CompletedTask;
    }
}

/// <summary>
/// Remembers when each key was last used and writes it at most every few minutes, so authentication
/// never adds a write to a hot path.
/// </summary>
public sealed class ApiKeyUsage
{
    private static readonly TimeSpan s_writeEvery = TimeSpan.FromMinutes(5);
    private readonly ConcurrentDictionary<Guid, DateTime> _pending = new();
    private readonly ConcurrentDictionary<Guid, DateTime> _written = new();

    public void Touch(Guid keyId, DateTime now)
    {
        if (!_written.TryGetValue(keyId, out var last) || now - last >= s_writeEvery)
        {
            _pending[keyId] = now;
            _written[keyId] = now;
        }
    }

    public IReadOnlyList<KeyValuePair<Guid, DateTime>> Drain()
    {
        var drained = new List<KeyValuePair<Guid, DateTime>>();
        foreach (var id in _pending.Keys)
        {
            if (_pending.TryRemove(id, out var at))
            {
                drained.Add(new(id, at));
            }
        }

        return drained;
    }

    public static string Describe(DateTime? at) => at?.ToString("u", CultureInfo.InvariantCulture) ?? "never";
}
