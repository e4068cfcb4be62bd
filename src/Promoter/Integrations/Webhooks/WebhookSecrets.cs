using Microsoft.AspNetCore.DataProtection;

namespace Promoter.Integrations.Webhooks;

/// <summary>
/// Endpoint secrets are needed in clear to sign, so they cannot be hashed like API keys; they are stored encrypted with
/// the Data Protection key ring, so a copy of the endpoints table alone reveals none of them.
/// </summary>
public sealed class WebhookSecrets(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Promoter.Webhooks.EndpointSecret.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string stored) => _protector.Unprotect(stored);

    /// <summary>The secrets to sign with at <paramref name="now"/>: the current one, and the previous one during the overlap.</summary>
    public IReadOnlyList<string> SigningSecrets(WebhookEndpoint endpoint, DateTime now) =>
        endpoint.PreviousSecret is { } previous && endpoint.PreviousSecretExpiresAt > now
            ? [Unprotect(endpoint.Secret), Unprotect(previous)]
            : [Unprotect(endpoint.Secret)];
}
