using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Accounts;

/// <summary>Issuing and revoking API keys. The plain key exists only in the return value of <see cref="CreateAsync"/>.</summary>
public sealed class ApiKeys(PromoterDb db, TimeProvider clock, AuditLog audit, IMemoryCache cache)
{
    public sealed record Issued(ApiKey Key, string PlainText);

    public async Task<Issued> CreateAsync(string? name, IReadOnlyCollection<string>? scopes, Guid? createdBy, DateTime? expiresAt, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var trimmed = name?.Trim() ?? "";
        if (trimmed.Length is 0 or > 100 || trimmed.Any(char.IsControl))
        {
            errors.Add("name", "Name the key (1 to 100 characters) so you can recognise it later.");
        }

        var granted = scopes is null || scopes.Count == 0 ? Scopes.ApiKeyDefault : scopes.Distinct(StringComparer.Ordinal).ToList();
        var unknown = granted.Where(s => !Scopes.IsKnown(s)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("scopes", "Unknown scopes: " + string.Join(", ", unknown) + ".");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (expiresAt is { } e && e <= now)
        {
            errors.Add("expiresAt", "The expiry must be in the future.");
        }

        errors.ThrowIfAny();
        var plain = ApiKeyFormat.NewKey();
        var key = new ApiKey
        {
            Id = Guid.CreateVersion7(clock.GetUtcNow()),
            Name = trimmed,
            Prefix = ApiKeyFormat.PrefixOf(plain),
            SecretHash = ApiKeyFormat.Hash(plain),
            Scopes = string.Join(' ', granted.Order(StringComparer.Ordinal)),
            CreatedByUserId = createdBy,
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        db.ApiKeys.Add(key);
        audit.Record("apikey.created", $"apikey:{key.Prefix}", key.Scopes);
        await db.SaveChangesAsync(ct);
        return new Issued(key, plain);
    }

    public async Task<ApiKey> RevokeAsync(Guid id, CancellationToken ct)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, ct) ?? throw new NotFoundException("API key");
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow().UtcDateTime;
            audit.Record("apikey.revoked", $"apikey:{key.Prefix}");
            await db.SaveChangesAsync(ct);
        }

        cache.Remove(ApiKeyAuthenticationHandler.CacheKey(key.Prefix));
        return key;
    }
}
