namespace Promoter.Platform.Email;

/// <summary>Hands one message to a mail server. Throws <see cref="EmailDeliveryException"/> when it was not accepted.</summary>
public interface IEmailTransport
{
    Task SendAsync(EmailMessage message, CancellationToken ct);
}

/// <summary>
/// A message the server did not accept. <see cref="Permanent"/> follows the reply class: 5xx is final, while 4xx,
/// timeouts and connection errors are worth another try later.
/// </summary>
public sealed class EmailDeliveryException(bool permanent, int? replyCode, string? enhancedCode, string message, Exception? inner = null)
    : Exception(message, inner)
{
    public bool Permanent { get; } = permanent;

    /// <summary>The basic SMTP reply code (451, 550…); null when no server answered.</summary>
    public int? ReplyCode { get; } = replyCode;

    /// <summary>The RFC 3463 enhanced status code (e.g. "5.1.1"), when the server gave one.</summary>
    public string? EnhancedCode { get; } = enhancedCode;

    /// <summary>5.1.x: the mailbox or address is bad, so mailing it again only hurts the sender's reputation.</summary>
    public bool BadMailbox => Permanent && EnhancedCode is { } code && code.StartsWith("5.1.", StringComparison.Ordinal);

    /// <summary>5.7.x: the relay refused us (policy, authentication). Our configuration, not the recipient's fault.</summary>
    public bool PolicyRefusal => Permanent && EnhancedCode is { } code && code.StartsWith("5.7.", StringComparison.Ordinal);
}
