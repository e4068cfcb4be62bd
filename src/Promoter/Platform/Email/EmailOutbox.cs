using Microsoft.Extensions.Options;
using Promoter.Data;

namespace Promoter.Platform.Email;

/// <summary>
/// Queues mail as rows of the caller's unit of work: nothing is sent unless the caller's <c>SaveChanges</c> commits,
/// and nothing committed is lost (<see cref="EmailDispatcher"/> sends it, retrying until it expires).
/// </summary>
public sealed class EmailOutbox(PromoterDb db, TimeProvider clock, IOptions<EmailOptions> options, EmailSignal signal)
{
    private bool _watching;

    /// <summary>A finished message, sent as written.</summary>
    public OutboundEmail Enqueue(string kind, string to, EmailContent content, string? toName = null, string? replyTo = null,
        Guid? relatedId = null, string? dedupeKey = null)
    {
        var email = Add(kind, to, toName, relatedId, dedupeKey, null);
        email.ReplyTo = replyTo is null ? null : Address(replyTo, nameof(replyTo));
        email.Subject = content.Subject;
        email.HtmlBody = content.Html;
        email.TextBody = content.Text;
        email.Headers = content.Headers is { Count: > 0 } headers ? System.Text.Json.JsonSerializer.Serialize(headers) : null;
        return email;
    }

    /// <summary>A message its kind's <see cref="IEmailComposer"/> writes when it is due, from the row <paramref name="relatedId"/>.</summary>
    public OutboundEmail Schedule(string kind, string to, Guid relatedId, DateTime notBefore, string? dedupeKey = null, string? toName = null) =>
        Track(Create(kind, to, toName, relatedId, dedupeKey, notBefore));

    /// <summary>
    /// As <see cref="Schedule"/>, but the row is only returned: for callers that write many rows at once
    /// (<see cref="BulkInsert"/>) and call <see cref="Notify"/> once they have committed.
    /// </summary>
    public OutboundEmail CreateScheduled(string kind, string to, Guid relatedId, DateTime notBefore, string? dedupeKey = null, string? toName = null) =>
        Create(kind, to, toName, relatedId, dedupeKey, notBefore);

    /// <summary>Wakes this node's dispatcher: committed mail is waiting.</summary>
    public void Notify() => signal.Notify();

    private OutboundEmail Add(string kind, string to, string? toName, Guid? relatedId, string? dedupeKey, DateTime? notBefore) =>
        Track(Create(kind, to, toName, relatedId, dedupeKey, notBefore));

    private OutboundEmail Create(string kind, string to, string? toName, Guid? relatedId, string? dedupeKey, DateTime? notBefore)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var due = notBefore is { } at && at > now ? at : now;
        return new OutboundEmail
        {
            Id = Guid.CreateVersion7(),
            Kind = kind,
            DedupeKey = dedupeKey,
            ToAddress = Address(to, nameof(to)),
            ToName = toName,
            RelatedId = relatedId,
            Status = EmailStatus.Pending,
            NextAttemptAt = due,
            // The time to live counts from when the mail is due, not from when it was queued for a later date.
            ExpiresAt = due + TimeSpan.FromHours(options.Value.TtlHours),
            CreatedAt = now,
        };
    }

    /// <summary>Adds a row made by <see cref="CreateScheduled"/> to the caller's unit of work.</summary>
    public OutboundEmail Track(OutboundEmail email)
    {
        db.Set<OutboundEmail>().Add(email);
        if (!_watching)
        {
            _watching = true;
            db.SavedChanges += (_, _) => signal.Notify();
        }

        return email;
    }

    private static string Address(string value, string parameter) =>
        EmailAddresses.TryNormalize(value, out var normalized)
            ? normalized
            : throw new ArgumentException($"Not a usable email address: '{value}'. Validate addresses where they enter Promoter.", parameter);
}
