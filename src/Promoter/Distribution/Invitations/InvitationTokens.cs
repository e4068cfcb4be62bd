using System.Security.Cryptography;

namespace Promoter.Distribution.Invitations;

/// <summary>Random, URL-safe link tokens: the personal survey link (192 bits) and the unsubscribe link (128 bits).</summary>
public static class InvitationTokens
{
    public static string NewSurveyToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(24));

    public static string NewUnsubscribeToken() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
}
