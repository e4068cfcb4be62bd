using System.Collections.Concurrent;
using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Promoter.Platform.Email;

/// <summary>
/// Submits mail to the configured relay with <see cref="SmtpClient"/>, at most <see cref="SmtpOptions.MaxConnections"/>
/// at once, and turns the server's refusals into <see cref="EmailDeliveryException"/>. A client that has just sent a
/// message successfully is kept and used for the next one: one connection per message measured ~50 messages/s
/// against a local relay, a reused client 106–156/s (docs/benchmarks.md). After any failure a client is thrown away.
/// A kept client whose connection the relay has since closed fails before anything is sent; that send is tried again
/// at once on a new connection.
/// </summary>
public sealed partial class SmtpEmailTransport(IOptions<SmtpOptions> options, TimeProvider clock) : IEmailTransport, IDisposable
{
    /// <summary>Far below the 5 minutes RFC 5321 asks servers to wait for a client, so a kept connection is rarely stale.</summary>
    private static readonly TimeSpan KeepIdle = TimeSpan.FromSeconds(30);

    private readonly SemaphoreSlim _connections = new(options.Value.MaxConnections);
    private readonly ConcurrentBag<(SmtpClient Client, long IdleSince)> _idle = [];

    public async Task SendAsync(EmailMessage message, CancellationToken ct)
    {
        var smtp = options.Value;
        if (!smtp.IsConfigured)
        {
            throw new EmailDeliveryException(false, null, null, "No mail server is configured (Smtp:Host).");
        }

        using var mail = Build(message);
        await _connections.WaitAsync(ct);
        try
        {
            var (client, reused) = Rent(smtp);
            while (true)
            {
                try
                {
                    await SendOnceAsync(client, mail, smtp, ct);
                    break;
                }
                catch (SmtpException e) when (reused && (int)e.StatusCode is < 400 or > 599 && e.InnerException is IOException)
                {
                    // The relay closed the kept connection while it was idle: nothing reached it; use a new connection.
                    client.Dispose();
                    (client, reused) = (Create(smtp), false);
                }
                catch
                {
                    client.Dispose();
                    throw;
                }
            }

            _idle.Add((client, clock.GetTimestamp()));
        }
        catch (SmtpException e)
        {
            throw Classify(e);
        }
        finally
        {
            _connections.Release();
        }
    }

    private (SmtpClient Client, bool Reused) Rent(SmtpOptions smtp)
    {
        while (_idle.TryTake(out var kept))
        {
            if (clock.GetElapsedTime(kept.IdleSince) < KeepIdle)
            {
                return (kept.Client, true);
            }

            kept.Client.Dispose();
        }

        return (Create(smtp), false);
    }

    private static SmtpClient Create(SmtpOptions smtp) => new(smtp.Host, smtp.Port)
    {
        EnableSsl = smtp.EnableSsl,
        DeliveryMethod = SmtpDeliveryMethod.Network,
        UseDefaultCredentials = false,
        Credentials = string.IsNullOrEmpty(smtp.Username) ? null : new NetworkCredential(smtp.Username, smtp.Password),
    };

    private static async Task SendOnceAsync(SmtpClient client, MailMessage mail, SmtpOptions smtp, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(smtp.TimeoutSeconds));
        try
        {
            await client.SendMailAsync(mail, timeout.Token);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new EmailDeliveryException(false, null, null, $"The mail server did not answer within {smtp.TimeoutSeconds} s.");
        }
    }

    private static MailMessage Build(EmailMessage message)
    {
        var utf8 = Encoding.UTF8;
        var mail = new MailMessage
        {
            From = new MailAddress(message.FromAddress, message.FromName, utf8),
            Subject = message.Content.Subject,
            SubjectEncoding = utf8,
            HeadersEncoding = utf8,
            BodyEncoding = utf8,
            Body = message.Content.Text,
            IsBodyHtml = false,
        };
        mail.To.Add(new MailAddress(message.ToAddress, message.ToName, utf8));
        if (message.ReplyTo is { } replyTo)
        {
            mail.ReplyToList.Add(new MailAddress(replyTo));
        }

        mail.AlternateViews.Add(AlternateView.CreateAlternateViewFromString(message.Content.Html, utf8, MediaTypeNames.Text.Html));
        mail.Headers.Add("Message-ID", message.MessageId);
        foreach (var (name, value) in message.Content.Headers ?? new Dictionary<string, string>())
        {
            mail.Headers.Add(name, value);
        }

        return mail;
    }

    /// <summary>Reply class decides: 4xx (and no answer at all) is temporary, 5xx is final.</summary>
    public static EmailDeliveryException Classify(SmtpException e)
    {
        var code = (int)e.StatusCode;
        var text = e.Message;
        var reply = text.IndexOf(ServerResponse, StringComparison.Ordinal) is var at and >= 0 ? text[(at + ServerResponse.Length)..].Trim() : text;
        var enhanced = EnhancedCode().Match(reply) is { Success: true } m ? m.Value : null;
        if (code is < 400 or > 599)
        {
            // SmtpStatusCode.GeneralFailure and friends: the connection failed before a server could answer.
            var cause = e.InnerException?.Message ?? text;
            return new EmailDeliveryException(false, null, null, $"Could not reach the mail server: {cause}", e);
        }

        return new EmailDeliveryException(code >= 500, code, enhanced, $"{code} {reply}", e);
    }

    private const string ServerResponse = "The server response was:";

    [GeneratedRegex(@"\b[245]\.\d{1,3}\.\d{1,3}\b")]
    private static partial Regex EnhancedCode();

    public void Dispose()
    {
        while (_idle.TryTake(out var kept))
        {
            kept.Client.Dispose();
        }

        _connections.Dispose();
    }
}
