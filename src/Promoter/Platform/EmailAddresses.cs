using System.Net.Mail;

namespace Promoter.Platform;

/// <summary>One definition of "a usable email address" for people, contacts and senders.</summary>
public static class EmailAddresses
{
    public static bool TryNormalize(string? input, out string normalized)
    {
        normalized = "";
        var trimmed = input?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > 254 || trimmed.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            return false;
        }

        // MailAddress accepts "Name <a@b>" and odd forms; require that it round-trips to the bare address.
        if (!MailAddress.TryCreate(trimmed, out var parsed) || parsed.Address != trimmed || parsed.DisplayName.Length > 0)
        {
            return false;
        }

        var at = trimmed.LastIndexOf('@');
        if (at < 1 || at == trimmed.Length - 1 || !trimmed[(at + 1)..].Contains('.', StringComparison.Ordinal))
        {
            return false;
        }

        normalized = trimmed;
        return true;
    }

    public static string Key(string email) => email.Trim().ToLowerInvariant();
}
