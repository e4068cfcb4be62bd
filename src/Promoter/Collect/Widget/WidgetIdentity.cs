using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Promoter.Collect.Widget;

/// <summary>
/// Who the embedding site says its visitor is (email, its own user id, name, properties). Self-reported by the site,
/// signed by us when the widget session starts so the survey page cannot be pointed at someone else afterwards.
/// </summary>
public sealed record WidgetIdentity(Guid SurveyId, string? Email, string? UserId, string? Name, Dictionary<string, string> Properties, long IssuedAtUnix);

public sealed class WidgetTickets(IDataProtectionProvider protection, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);
    private readonly IDataProtector _protector = protection.CreateProtector("Promoter.Collect.Widget.v1");

    public string Protect(WidgetIdentity identity) =>
        Base64Url.EncodeToString(_protector.Protect(JsonSerializer.SerializeToUtf8Bytes(identity)));

    /// <summary>The identity in <paramref name="text"/> when it is ours, for this survey and not expired; else null.</summary>
    public WidgetIdentity? Read(string? text, Guid surveyId)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 8192)
        {
            return null;
        }

        try
        {
            var identity = JsonSerializer.Deserialize<WidgetIdentity>(_protector.Unprotect(Base64Url.DecodeFromChars(text)));
            var age = clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(identity?.IssuedAtUnix ?? 0);
            return identity is not null && identity.SurveyId == surveyId && age < Lifetime ? identity : null;
        }
        catch (Exception e) when (e is CryptographicException or FormatException or JsonException)
        {
            return null;
        }
    }
}
