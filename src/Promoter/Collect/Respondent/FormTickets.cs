using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace Promoter.Collect.Respondent;

/// <summary>
/// What a rendered survey page hands the respondent: which survey (and invitation) it was for, the submission id
/// that ties the page's posts to one response, and when it was rendered (for the minimum fill time).
/// </summary>
public sealed record FormTicket(Guid SurveyId, Guid? InvitationId, Guid SubmissionId, DateTimeOffset IssuedAt)
{
    /// <summary>The submission id as stored on the response (32 hex digits).</summary>
    public string SubmissionKey => SubmissionId.ToString("N");
}

/// <summary>
/// Issues and reads <see cref="FormTicket"/>s, signed and encrypted with ASP.NET Core Data Protection, so a
/// respondent can neither forge a render time nor point a post at another response. Stateless: nothing is stored
/// per page view, so a scanner opening a link costs no write.
/// </summary>
public sealed class FormTickets(IDataProtectionProvider protection, TimeProvider clock)
{
    private const byte Version = 1;
    private const int PayloadLength = 1 + 16 + 16 + 16 + 8;
    private readonly IDataProtector _protector = protection.CreateProtector("Promoter.Collect.FormTicket.v1");

    public FormTicket Issue(Guid surveyId, Guid? invitationId) =>
        new(surveyId, invitationId, Guid.NewGuid(), clock.GetUtcNow());

    public string Protect(FormTicket ticket)
    {
        Span<byte> payload = stackalloc byte[PayloadLength];
        payload[0] = Version;
        ticket.SurveyId.TryWriteBytes(payload[1..17]);
        (ticket.InvitationId ?? Guid.Empty).TryWriteBytes(payload[17..33]);
        ticket.SubmissionId.TryWriteBytes(payload[33..49]);
        BinaryPrimitives.WriteInt64BigEndian(payload[49..], ticket.IssuedAt.ToUnixTimeMilliseconds());
        return Base64Url.EncodeToString(_protector.Protect(payload.ToArray()));
    }

    /// <summary>The ticket in <paramref name="text"/>, or null when it is missing, malformed or not ours.</summary>
    public FormTicket? Read(string? text)
    {
        if (string.IsNullOrEmpty(text) || text.Length > 512)
        {
            return null;
        }

        try
        {
            var payload = _protector.Unprotect(Base64Url.DecodeFromChars(text));
            if (payload.Length != PayloadLength || payload[0] != Version)
            {
                return null;
            }

            var invitation = new Guid(payload.AsSpan(17, 16));
            return new FormTicket(
                new Guid(payload.AsSpan(1, 16)),
                invitation == Guid.Empty ? null : invitation,
                new Guid(payload.AsSpan(33, 16)),
                DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(payload.AsSpan(49))));
        }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            return null;
        }
    }
}
