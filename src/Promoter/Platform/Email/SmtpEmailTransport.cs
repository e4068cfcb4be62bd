using System.Net;
using System.Net.Mail;
using System.Net.Mime;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace Promoter.Platform.Email;

/// <summary>
/// Submits mail to the configured relay with <see cref="SmtpClient"/>, one connection per message and at most
/// <see cref="SmtpOptions.MaxConnections"/> at once, and turns the server's refusals into <see cref="EmailDeliveryException"/>.
/// </summary>
public sealed partial class SmtpEmailTransport(IOptions<SmtpOptions> options) : IEmailTransport, IDisposable
{
    private readonly SemaphoreSlim _connections = new(options.Value.MaxConnections);

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
            using var client = new SmtpClient(smtp.Host, smtp.Port)
            {
                EnableSsl = smtp.EnableSsl,
                DeliveryMethod = SmtpDeliveryMethod.Network,
                UseDefaultCredentials = false,
                Credentials = string.IsNullOrEmpty(smtp.Username) ? null : new NetworkCredential(smtp.Username, smtp.Password),
            };
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
            catch (SmtpException e)
            {
                throw Classify(e);
            }
        }
        finally
        {
            _connections.Release();
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

    public void Dispose() => _connections.Dispose();
}
