using System.Security.Cryptography;
using System.Text;

namespace Promoter.Tests.Integrations.Webhooks;

/// <summary>
/// A receiver's check of a Standard Webhooks signature, written from the specification and independent of Promoter's
/// signer: HMAC-SHA256 keyed with the base64 part of the <c>whsec_</c> secret over "{id}.{timestamp}.{body}", compared in
/// constant time with every <c>v1,</c> entry of the space-separated header, within five minutes. It is the snippet
/// docs/webhooks.md gives receivers, word for word (a test keeps the two equal).
/// </summary>
public static class ReceiverVerifier
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    /// <summary>True when the request was signed with the endpoint's secret (whsec_…) no more than five minutes ago.</summary>
    public static bool Verify(string secret, string? id, string? timestamp, string? signatures, string body, DateTimeOffset now)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(signatures) || !long.TryParse(timestamp, out var seconds))
        {
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > Tolerance.TotalSeconds)
        {
            return false; // too old (a replay) or too far ahead
        }

        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret[6..] : secret);
        var expected = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}"));
        foreach (var entry in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(',', 2);
            var given = new byte[64];
            if (parts.Length == 2 && parts[0] == "v1" && Convert.TryFromBase64String(parts[1], given, out var length)
                && CryptographicOperations.FixedTimeEquals(given.AsSpan(0, length), expected))
            {
                return true;
            }
        }

        return false;
    }
}
