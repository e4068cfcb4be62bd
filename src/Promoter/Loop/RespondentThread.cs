using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Localization;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter.Loop;

/// <summary>One message of the thread as the respondent sees it: internal notes and history never appear here.</summary>
public sealed record ThreadMessage(bool FromRespondent, DateTime At, string Body);

public sealed record RespondentView(Guid WorkspaceId, Guid CaseId, Locale Locale, string Brand, string Agent, IReadOnlyList<ThreadMessage> Messages);

/// <summary>
/// The respondent's side of a case, reached only with the case's reply token: the replies they were sent and their
/// own answers. An answer threads on the case, reopens a resolved case as contacted, and tells the owner by mail.
/// </summary>
public sealed class RespondentThread(PromoterDb db, TimeProvider clock, LocaleCatalog locales, WebhookEvents webhookEvents, EmailOutbox outbox, PublicUrls urls)
{
    public const int MaxTokenLength = 64;

    /// <summary>Binds the scope to the case's workspace; null for an unknown token.</summary>
    public async Task<RespondentView?> OpenAsync(string token, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > MaxTokenLength)
        {
            return null;
        }

        var found = await CrossWorkspaceQueries.CaseByReplyToken(db, token).AsNoTracking().Select(c => new { c.Id, c.WorkspaceId }).SingleOrDefaultAsync(ct);
        if (found is null)
        {
            return null;
        }

        db.Workspace.Enter(found.WorkspaceId);
        var c = await db.Cases.AsNoTracking().SingleAsync(x => x.Id == found.Id, ct);
        var response = await db.Responses.AsNoTracking().Where(r => r.Id == c.ResponseId).Select(r => new { r.Language }).SingleAsync(ct);
        var contactLocale = c.ContactId is { } contactId ? await db.Contacts.AsNoTracking().Where(p => p.Id == contactId).Select(p => p.Locale).SingleOrDefaultAsync(ct) : null;
        var brand = await db.Surveys.AsNoTracking().Where(s => s.Id == c.SurveyId).Select(s => s.BrandName).SingleAsync(ct);
        var activities = await db.CaseActivities.AsNoTracking()
            .Where(a => a.CaseId == c.Id && (a.Kind == ActivityKind.ReplySent || a.Kind == ActivityKind.RespondentReplied))
            .OrderBy(a => a.At).ThenBy(a => a.Id).ToListAsync(ct);
        var lastAgent = activities.LastOrDefault(a => a.Kind == ActivityKind.ReplySent)?.Actor;
        var agent = lastAgent is not null && lastAgent.StartsWith("user:", StringComparison.Ordinal) && Guid.TryParse(lastAgent[5..], out var userId)
            ? await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.DisplayName == "" ? u.Email : u.DisplayName).SingleOrDefaultAsync(ct)
            : null;
        var locale = locales.Get(locales.Match(contactLocale) ?? locales.Match(response.Language) ?? LocaleCatalog.Fallback);
        return new RespondentView(found.WorkspaceId, c.Id, locale, brand, agent ?? brand,
            activities.Select(a => new ThreadMessage(a.Kind == ActivityKind.RespondentReplied, a.At, ReplyText(a))).ToList());
    }

    /// <summary>Adds the respondent's answer to the case opened by <see cref="OpenAsync"/>.</summary>
    public async Task AnswerAsync(RespondentView view, string? text, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var body = TextInput.Comment(text, "message", errors);
        if (body is null && !errors.Any)
        {
            errors.Add("message", "Write your message.");
        }

        errors.ThrowIfAny();
        var now = clock.GetUtcNow().UtcDateTime;
        var c = await db.Cases.SingleAsync(x => x.Id == view.CaseId, ct);
        db.CaseActivities.Add(new CaseActivity { CaseId = c.Id, At = now, Actor = "respondent", Kind = ActivityKind.RespondentReplied, Body = body });
        if (c.Status is CaseStatus.Resolved or CaseStatus.Closed)
        {
            db.CaseActivities.Add(new CaseActivity { CaseId = c.Id, At = now, Actor = "respondent", Kind = ActivityKind.StatusChanged, Body = $"Status: {CaseDto.StatusName(c.Status)} → contacted (the respondent answered)." });
            CaseService.SetStatus(c, CaseStatus.Contacted, now);
        }

        c.UpdatedAt = now;
        if (c.OwnerUserId is { } ownerId && await db.Memberships.AsNoTracking().Where(m => m.UserId == ownerId).Select(m => m.User!.Email).SingleOrDefaultAsync(ct) is { } ownerEmail)
        {
            var url = $"{urls.Base}/cases/{c.Id}";
            outbox.Enqueue(EmailKinds.CaseNotice, ownerEmail, new EmailContent(
                "The respondent answered on your case",
                $"<p>The respondent answered:</p><blockquote dir=\"auto\">{AlertMail.Paragraphs(body!)}</blockquote><p><a href=\"{AlertMail.E(url)}\">Open the case</a></p>",
                $"The respondent answered:\n\n{body}\n\nOpen the case: {url}\n"), relatedId: c.Id);
        }

        webhookEvents.Add(WebhookEventTypes.CaseUpdated, c.Id.ToString(), CaseDto.From(c, now));
        await db.SaveChangesAsync(ct);
    }

    /// <summary>A sent reply is stored as "subject, blank line, body"; the respondent sees the body.</summary>
    private static string ReplyText(CaseActivity a)
    {
        var body = a.Body ?? "";
        if (a.Kind != ActivityKind.ReplySent)
        {
            return body;
        }

        var split = body.IndexOf("\n\n", StringComparison.Ordinal);
        return split >= 0 ? body[(split + 2)..] : body;
    }
}
