namespace Promoter.Platform.Email;

/// <summary>What a recipient reads: subject, HTML and plain-text parts, and headers such as <c>List-Unsubscribe</c>.</summary>
public sealed record EmailContent(string Subject, string Html, string Text, IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>A message ready for the transport: every address and header already checked.</summary>
public sealed record EmailMessage(
    string MessageId,
    string FromAddress,
    string? FromName,
    string ToAddress,
    string? ToName,
    string? ReplyTo,
    EmailContent Content);

/// <summary>What a composer decides when its mail is about to go out.</summary>
public abstract record Composition
{
    private Composition()
    {
    }

    public sealed record Send(EmailContent Content, string? ToName = null) : Composition;

    /// <summary>Do not send, for good (<see cref="EmailStatus.Cancelled"/> or <see cref="EmailStatus.Suppressed"/>).</summary>
    public sealed record Skip(EmailStatus Status, string Reason) : Composition;

    /// <summary>Not now (quiet hours in the recipient's time zone): try again at <paramref name="Until"/>.</summary>
    public sealed record Defer(DateTime Until, string Reason) : Composition;
}

/// <summary>How an attempt ended, for the kind that wants to record it on its own rows (an invitation's status).</summary>
public sealed record EmailOutcome(EmailStatus Status, DateTime At, string? Error, bool HardBounce = false);

/// <summary>
/// Writes one kind of mail at send time, and hears how each attempt ended. Both calls run in a scope bound to the
/// mail's workspace; <see cref="RecordAsync"/> runs inside the transaction that records the attempt, so changes made
/// to the scope's <c>PromoterDb</c> commit with it.
/// </summary>
public interface IEmailComposer
{
    string Kind { get; }

    Task<Composition> ComposeAsync(OutboundEmail email, CancellationToken ct);

    Task RecordAsync(OutboundEmail email, EmailOutcome outcome, CancellationToken ct);
}
