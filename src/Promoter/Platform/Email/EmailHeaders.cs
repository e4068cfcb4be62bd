namespace Promoter.Platform.Email;

/// <summary>
/// Header text from tenants and respondents (a subject, a sender name) must never carry a line break: "\r\nBcc: …"
/// would add headers. Write paths refuse such values with a field error (<see cref="IsSafe"/>); the dispatcher also
/// flattens whatever reaches it (<see cref="Flatten"/>), so no caller can forget.
/// </summary>
public static class EmailHeaders
{
    public const int MaxSubject = 200;
    public const int MaxDisplayName = 100;

    public static bool IsSafe(string? value) => value is null || !value.Any(char.IsControl);

    public static string Flatten(string value)
    {
        if (IsSafe(value))
        {
            return value;
        }

        var chars = value.Select(c => char.IsControl(c) ? ' ' : c).ToArray();
        return new string(chars).Trim();
    }

    /// <summary>Checks a tenant-supplied header value and records what is wrong under <paramref name="field"/>.</summary>
    public static string? Check(string? value, string field, int max, FieldErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        if (!IsSafe(value))
        {
            errors.Add(field, "Line breaks and control characters are not allowed here (they would change the email's headers).");
            return null;
        }

        return TextInput.Line(value, field, max, errors);
    }

    /// <summary>
    /// <c>&lt;{id}@{domain}&gt;</c>: stable for the row, so a mail sent again after a crash carries the same Message-ID
    /// and mail clients and tests can tell it is the same message.
    /// </summary>
    public static string MessageId(Guid emailId, string fromAddress)
    {
        var at = fromAddress.LastIndexOf('@');
        var domain = at >= 0 && at < fromAddress.Length - 1 ? fromAddress[(at + 1)..] : "promoter.invalid";
        return $"<{emailId:N}@{domain}>";
    }
}
