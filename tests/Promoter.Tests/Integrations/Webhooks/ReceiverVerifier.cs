using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Promoter.Tests.Integrations.Webhooks;

/// <summary>
/// A receiver's check of a Standard Webhooks signature, written from the specification and independent of Promoter's
/// signer: HMAC-SHA256 keyed with the base64 part of the <c>whsec_</c> secret over "{id}.{timestamp}.{body}", compared in
/// constant time with every <c>v1,</c> entry of the space-separated header, within a timestamp tolerance.
/// </summary>
public static class ReceiverVerifier
{
    public static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    public static bool Verify(string secret, string? id, string? timestamp, string? signatures, string body, DateTimeOffset now)
    {
        if (id is null || signatures is null || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return false;
        }

        if (Math.Abs(now.ToUnixTimeSeconds() - seconds) > Tolerance.TotalSeconds)
        {
            return false;
        }

        using var hmac = new HMACSHA256(Convert.FromBase64String(secret.Replace("whsec_", "", StringComparison.Ordinal)));
        var expected = hmac.ComputeHash(Encoding.UTF8.GetBytes(id + "." + timestamp + "." + body));
        foreach (var entry in signatures.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = entry.Split(',', 2);
            if (parts.Length == 2 && parts[0] == "v1" && TryBase64(parts[1], out var given) && CryptographicOperations.FixedTimeEquals(given, expected))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TryBase64(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        if (Convert.TryFromBase64String(text, bytes, out var written))
        {
            bytes = bytes[..written];
            return true;
        }

        return false;
    }
}
