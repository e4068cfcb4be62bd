using System.ComponentModel.DataAnnotations;

namespace Promoter.Platform.Email;

/// <summary>
/// The <c>Smtp</c> section: the relay Promoter hands its mail to (SES, SendGrid, Postmark, a local Postfix…).
/// With no <see cref="Host"/>, mail is queued and kept until a relay is configured or it expires.
/// </summary>
public sealed class SmtpOptions
{
    public const string Section = "Smtp";

    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 587;

    /// <summary>STARTTLS on the submission port.</summary>
    public bool EnableSsl { get; set; }

    public string? Username { get; set; }
    public string? Password { get; set; }

    /// <summary>The envelope and header sender, e.g. <c>surveys@example.com</c>; workspaces set the display name and Reply-To.</summary>
    public string? From { get; set; }

    [Range(1, 300)]
    public int TimeoutSeconds { get; set; } = 30;

    /// <summary>SMTP connections open at once from this node.</summary>
    [Range(1, 64)]
    public int MaxConnections { get; set; } = 8;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(Host);
}

/// <summary>The <c>Email</c> section: how the outbox retries and how long it keeps what it sent.</summary>
public sealed class EmailOptions
{
    public const string Section = "Email";

    /// <summary>A mail not delivered within this many hours expires: a survey invitation that late is stale (SendGrid retries 72 h too).</summary>
    [Range(1, 24 * 14)]
    public int TtlHours { get; set; } = 72;

    /// <summary>Run the dispatcher on this node.</summary>
    public bool DispatchEnabled { get; set; } = true;

    [Range(1, 300)]
    public int PollIntervalSeconds { get; set; } = 2;

    /// <summary>Sent, failed and expired mails (with their bodies) are deleted after this many days.</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;
}
