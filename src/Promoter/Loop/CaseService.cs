using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Core;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Integrations.Webhooks;
using Promoter.Localization;
using Promoter.Platform;
using Promoter.Platform.Email;
using Promoter.Surveys;

namespace Promoter.Loop;

public sealed record CaseQuery(string? Status = null, string? Owner = null, string? Category = null, bool OverdueOnly = false, Guid? SurveyId = null, int Limit = 100);

/// <summary>A page of the inbox: its cases, the cursor of the next page (null on the last) and how many match in all.</summary>
public sealed record CasePage(IReadOnlyList<CaseDto> Items, string? NextCursor, int Total);

public sealed record CasePatch(string? Status = null, string? Owner = null, IReadOnlyList<string>? Tags = null, string? RootCause = null);

public sealed record ReplyInput(string? Template = null, string? Subject = null, string? Body = null, string? Language = null);

/// <summary>A contact the agent made outside Promoter's mail: <c>phone</c>, <c>chat</c>, <c>in_person</c>, <c>social</c> or <c>other</c>.</summary>
public sealed record ContactLogInput(string? Channel = null, string? Note = null);

public sealed record ScorePoint(long ResponseId, int Score, string? Comment, DateTime RespondedAt, string Survey);

/// <summary>A case with what its page shows: the response, the contact and their score history, the thread and notes.</summary>
public sealed record CaseDetail(
    CaseDto Case,
    string SurveyName,
    string? TeamMember,
    IReadOnlyDictionary<string, string> ResponseProperties,
    IReadOnlyDictionary<string, string> ContactProperties,
    string? ContactLocale,
    IReadOnlyList<ScorePoint> ScoreHistory,
    IReadOnlyList<CaseActivityDto> Activities,
    string? OwnerName)
{
    /// <summary>Replies need an address: without one the agent can call, note or close, not write.</summary>
    public bool CanEmail => EmailAddresses.TryNormalize(Case.ContactEmail, out _);
}

/// <summary>
/// Everything a person or an integration does to a case: list, read, update, note, reply. Every change writes its
/// history line and a <c>case.updated</c> webhook event in the same transaction; replies go through the mail outbox.
/// </summary>
public sealed class CaseService(PromoterDb db, TimeProvider clock, WebhookEvents webhookEvents, EmailOutbox outbox, LocaleCatalog locales, PublicUrls urls, MailRelay relay,
    Churn.ContactRiskScorer risk)
{
    public const int MaxTags = 20;
    public const int MaxTagLength = 50;
    public const int MaxLimit = 500;

    private DateTime Now => clock.GetUtcNow().UtcDateTime;

    public async Task<IReadOnlyList<CaseDto>> ListAsync(CaseQuery query, CaseViewer viewer, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var cases = Filtered(query, viewer, errors);
        errors.ThrowIfAny();
        return await ProjectAsync(cases, query.Limit, ct);
    }

    /// <summary>
    /// One page of the cases <paramref name="query"/> selects, most urgent first, after the case
    /// <paramref name="cursor"/> names (a <see cref="PageCursor"/> of kind <c>k</c>), with how many there are in all.
    /// </summary>
    public async Task<CasePage> PageAsync(CaseQuery query, string? cursor, CaseViewer viewer, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var cases = Filtered(query, viewer, errors);
        Guid? after = null;
        if (cursor is not null && (after = PageCursor.Read('k', cursor)) is null)
        {
            errors.Add("cursor", "Use the nextCursor value of a previous page.");
        }

        errors.ThrowIfAny();
        var total = await cases.CountAsync(ct);
        var rest = cases;
        if (after is { } anchorId)
        {
            // Keyset on the inbox order (due time, nulls last; then created; then id), from the anchor case's values.
            var anchor = await viewer.Visible(db.Cases.AsNoTracking()).Where(c => c.Id == anchorId)
                .Select(c => new { c.DueAt, c.CreatedAt }).SingleOrDefaultAsync(ct);
            if (anchor is null)
            {
                errors.Add("cursor", "Use the nextCursor value of a previous page.");
                errors.ThrowIfAny();
            }

            var created = anchor!.CreatedAt;
            if (anchor.DueAt is { } due)
            {
                rest = rest.Where(c => c.DueAt == null || c.DueAt > due
                    || (c.DueAt == due && (c.CreatedAt > created || (c.CreatedAt == created && c.Id > anchorId))));
            }
            else
            {
                rest = rest.Where(c => c.DueAt == null && (c.CreatedAt > created || (c.CreatedAt == created && c.Id > anchorId)));
            }
        }

        var rows = await ProjectAsync(rest, query.Limit + 1, ct);
        var page = rows.Take(query.Limit).ToList();
        return new CasePage(page, rows.Count > query.Limit ? PageCursor.Write('k', page[^1].Id) : null, total);
    }

    private IQueryable<FollowUpCase> Filtered(CaseQuery query, CaseViewer viewer, FieldErrors errors)
    {
        var cases = viewer.Visible(db.Cases.AsNoTracking());
        switch (query.Status?.Trim().ToLowerInvariant())
        {
            case null or "" or "open":
                cases = cases.Where(c => c.Status == CaseStatus.New || c.Status == CaseStatus.Contacted);
                break;
            case "all":
                break;
            default:
                if (CaseDto.TryParseStatus(query.Status, out var status))
                {
                    cases = cases.Where(c => c.Status == status);
                }
                else
                {
                    errors.Add("status", "Use open, all, new, contacted, resolved, closed or wont_fix.");
                }

                break;
        }

        switch (query.Owner?.Trim().ToLowerInvariant())
        {
            case null or "" or "any":
                break;
            case "me":
                cases = cases.Where(c => c.OwnerUserId == viewer.UserId);
                break;
            case "none" or "unassigned":
                cases = cases.Where(c => c.OwnerUserId == null);
                break;
            default:
                if (Guid.TryParse(query.Owner, out var owner))
                {
                    cases = cases.Where(c => c.OwnerUserId == owner);
                }
                else
                {
                    errors.Add("owner", "Use me, unassigned, any or a user id.");
                }

                break;
        }

        if (!string.IsNullOrWhiteSpace(query.Category))
        {
            if (Enum.TryParse<NpsCategory>(query.Category, ignoreCase: true, out var category) && Enum.IsDefined(category))
            {
                cases = cases.Where(c => c.Category == category);
            }
            else
            {
                errors.Add("category", "Use detractor, passive or promoter.");
            }
        }

        if (query.Limit is < 1 or > MaxLimit)
        {
            errors.Add("limit", $"Use 1 to {MaxLimit}.");
        }

        var now = Now;
        if (query.OverdueOnly)
        {
            cases = cases.Where(c => c.Status == CaseStatus.New && c.DueAt < now);
        }

        if (query.SurveyId is { } surveyId)
        {
            cases = cases.Where(c => c.SurveyId == surveyId);
        }

        return cases;
    }

    private async Task<List<CaseDto>> ProjectAsync(IQueryable<FollowUpCase> cases, int take, CancellationToken ct)
    {
        var now = Now;
        // Due first; cases without a due time after those with one.
        var rows = await (from c in cases
                          join r in db.Responses.AsNoTracking() on c.ResponseId equals r.Id
                          join p in db.Contacts.AsNoTracking() on c.ContactId equals p.Id into people
                          from p in people.DefaultIfEmpty()
                          orderby c.DueAt == null, c.DueAt, c.CreatedAt, c.Id
                          select new { Case = c, r.Comment, Email = p == null ? null : p.Email, Name = p == null ? null : p.Name })
            .Take(take).ToListAsync(ct);
        return rows.Select(x => CaseDto.From(x.Case, now, x.Comment, x.Email, x.Name)).ToList();
    }

    public async Task<FollowUpCase> FindAsync(Guid id, CaseViewer viewer, CancellationToken ct, bool track = false)
    {
        var query = track ? db.Cases : db.Cases.AsNoTracking();
        var found = await query.SingleOrDefaultAsync(c => c.Id == id, ct);
        // Another workspace's case and a case an agent may not see look the same: it does not exist for them.
        return found is not null && viewer.Sees(found) ? found : throw new NotFoundException("case");
    }

    public async Task<CaseDetail> GetAsync(Guid id, CaseViewer viewer, CancellationToken ct)
    {
        var c = await FindAsync(id, viewer, ct);
        var response = await db.Responses.AsNoTracking().SingleAsync(r => r.Id == c.ResponseId, ct);
        var survey = await db.Surveys.AsNoTracking().Where(s => s.Id == c.SurveyId).Select(s => s.Name).SingleAsync(ct);
        var contact = c.ContactId is { } contactId ? await db.Contacts.AsNoTracking().SingleOrDefaultAsync(p => p.Id == contactId, ct) : null;
        var history = contact is null
            ? []
            : await (from r in db.Responses.AsNoTracking()
                     where r.ContactId == contact.Id && r.Status == ResponseStatus.Final
                     join s in db.Surveys.AsNoTracking() on r.SurveyId equals s.Id
                     orderby r.RespondedAt descending
                     select new ScorePoint(r.Id, r.Score, r.Comment, r.RespondedAt, s.Name)).Take(50).ToListAsync(ct);
        var activities = await db.CaseActivities.AsNoTracking().Where(a => a.CaseId == id).OrderBy(a => a.At).ThenBy(a => a.Id).ToListAsync(ct);
        var mails = await MailStatesAsync(c.Id, ct);
        var members = await LoopMembers.ListAsync(db, ct);
        return new CaseDetail(CaseDto.From(c, Now, response.Comment, contact?.Email, contact?.Name), survey, response.TeamMember,
            PropertyBags.Read(response.Properties), PropertyBags.Read(contact?.Properties), contact?.Locale, history,
            activities.Select(a => CaseActivityDto.From(a, a.EmailId is { } mail ? mails.GetValueOrDefault(mail) ?? new ReplyMailState("purged", null, null) : null)).ToList(),
            c.OwnerUserId is { } o ? members.FirstOrDefault(m => m.UserId == o)?.Label : null);
    }

    private async Task<Dictionary<Guid, ReplyMailState>> MailStatesAsync(Guid caseId, CancellationToken ct)
    {
        var rows = await db.OutboundEmails.AsNoTracking().Where(e => e.RelatedId == caseId && e.Kind == EmailKinds.CaseReply)
            .Select(e => new { e.Id, e.Status, e.Attempts, e.SentAt, e.LastError, e.NextAttemptAt }).ToListAsync(ct);
        return rows.ToDictionary(e => e.Id, e => e.Status switch
        {
            EmailStatus.Pending when !relay.IsConfigured => new ReplyMailState("no_relay", null, e.LastError),
            EmailStatus.Pending when e.Attempts > 0 => new ReplyMailState("retrying", null, e.LastError),
            EmailStatus.Pending => new ReplyMailState("queued", null, null),
            EmailStatus.Sent => new ReplyMailState("sent", e.SentAt, null),
            EmailStatus.Failed => new ReplyMailState("failed", null, e.LastError),
            EmailStatus.Expired => new ReplyMailState("expired", null, e.LastError),
            EmailStatus.Suppressed => new ReplyMailState("suppressed", null, e.LastError),
            _ => new ReplyMailState("cancelled", null, e.LastError),
        });
    }

    public async Task<CaseDto> UpdateAsync(Guid id, CasePatch patch, CaseViewer viewer, CancellationToken ct)
    {
        RequireWrite(viewer);
        var errors = new FieldErrors();
        var c = await FindAsync(id, viewer, ct, track: true);
        var settings = await db.LoopSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new LoopSettings();
        var members = await LoopMembers.ListAsync(db, ct);
        var now = Now;
        var changes = new List<(ActivityKind Kind, string Body)>();

        if (patch.Status is not null)
        {
            if (!CaseDto.TryParseStatus(patch.Status, out var status))
            {
                errors.Add("status", "Use new, contacted, resolved, closed or wont_fix.");
            }
            else if (status != c.Status)
            {
                changes.Add((ActivityKind.StatusChanged, $"Status: {CaseDto.StatusName(c.Status)} → {CaseDto.StatusName(status)}."));
                SetStatus(c, status, now);
            }
        }

        if (patch.Owner is not null)
        {
            Guid? owner = patch.Owner.Trim().ToLowerInvariant() switch
            {
                "" or "none" or "unassigned" => null,
                "me" => viewer.UserId,
                _ => Guid.TryParse(patch.Owner, out var g) ? g : Guid.Empty,
            };
            if (owner == Guid.Empty || (owner is { } o && !members.Any(m => m.UserId == o && m.CanOwnCases)))
            {
                errors.Add("owner", "Choose a member of this workspace who can work on cases, me, or unassigned.");
            }
            else if (!viewer.MayAssignOthers && owner is { } other && other != viewer.UserId)
            {
                errors.Add("owner", "Agents can take a case themselves or leave it unassigned; ask a manager to assign it to someone else.");
            }
            else if (owner != c.OwnerUserId)
            {
                c.OwnerUserId = owner;
                changes.Add((ActivityKind.Assigned, owner is { } who ? $"Assigned to {members.First(m => m.UserId == who).Label}." : "Unassigned."));
            }
        }

        if (patch.Tags is not null)
        {
            var tags = CleanTags(patch.Tags, errors);
            var joined = string.Join(',', tags);
            if (!errors.Any && joined != c.Tags)
            {
                c.Tags = joined;
                changes.Add((ActivityKind.Tagged, tags.Count == 0 ? "Tags removed." : "Tags: " + string.Join(", ", tags) + "."));
            }
        }

        if (patch.RootCause is not null)
        {
            var cause = TextInput.Line(patch.RootCause, "rootCause", 100, errors);
            if (cause is not null && !settings.RootCauseList.Contains(cause, StringComparer.Ordinal))
            {
                errors.Add("rootCause", "Choose one of the workspace's root causes: " + string.Join(", ", settings.RootCauseList) + ".");
            }
            else if (!errors.Any && cause != c.RootCause)
            {
                c.RootCause = cause;
                changes.Add((ActivityKind.RootCause, cause is null ? "Root cause cleared." : $"Root cause: {cause}."));
            }
        }

        errors.ThrowIfAny();
        if (changes.Count > 0)
        {
            c.UpdatedAt = now;
            foreach (var (kind, body) in changes)
            {
                Log(c.Id, now, kind, body, viewer.Actor);
            }

            webhookEvents.Add(WebhookEventTypes.CaseUpdated, c.Id.ToString(), CaseDto.From(c, now));
            await db.SaveChangesAsync(ct);
            await RescoreContactAsync(c, ct);
        }

        return CaseDto.From(c, now);
    }

    public async Task<CaseActivityDto> AddNoteAsync(Guid id, string? text, CaseViewer viewer, CancellationToken ct)
    {
        RequireWrite(viewer);
        var errors = new FieldErrors();
        var body = TextInput.Comment(text, "body", errors);
        if (body is null && !errors.Any)
        {
            errors.Add("body", "Write the note.");
        }

        errors.ThrowIfAny();
        var c = await FindAsync(id, viewer, ct, track: true);
        var now = Now;
        c.UpdatedAt = now;
        var note = Log(c.Id, now, ActivityKind.Note, body!, viewer.Actor);
        webhookEvents.Add(WebhookEventTypes.CaseUpdated, c.Id.ToString(), CaseDto.From(c, now));
        await db.SaveChangesAsync(ct);
        return CaseActivityDto.From(note);
    }

    /// <summary>The starting text for a reply: the template for the case's category (or the one asked for) in the respondent's language.</summary>
    public async Task<(ReplyTemplate Template, Locale Locale, string Subject, string Body)> DraftAsync(Guid id, string? template, string? language, CaseViewer viewer, CancellationToken ct)
    {
        var c = await FindAsync(id, viewer, ct);
        var errors = new FieldErrors();
        var chosen = ReplyTemplates.ForCategory(c.Category);
        if (template is not null && !ReplyTemplates.TryParse(template, out chosen))
        {
            errors.Add("template", "Use detractor, passive, promoter or closing.");
        }

        if (language is not null && !locales.Has(language))
        {
            errors.Add("language", "Use one of: " + string.Join(", ", locales.All.Select(l => l.Code).Order(StringComparer.Ordinal)) + ".");
        }

        errors.ThrowIfAny();
        var (contact, survey, response) = await PartiesAsync(c, ct);
        var locale = locales.Get(language ?? locales.Match(contact?.Locale) ?? locales.Match(response.Language) ?? LocaleCatalog.Fallback);
        var link = survey.ReadDefinition().ThankYouLinks?.GetValueOrDefault(NpsCategory.Promoter);
        var (subject, body) = ReplyTemplates.Fill(locale, chosen, contact?.Name, survey.BrandName, await AgentNameAsync(viewer, ct), link);
        return (chosen, locale, subject, body);
    }

    /// <summary>
    /// Queues a mail to the respondent with a link to answer. The case counts as contacted only once the relay accepts
    /// the mail (<see cref="CaseReplyComposer"/>); the closing message ("tell them what we did") closes it at once.
    /// A subject or message with a template placeholder left in (…) is refused.
    /// </summary>
    public async Task<CaseActivityDto> ReplyAsync(Guid id, ReplyInput input, CaseViewer viewer, CancellationToken ct)
    {
        RequireWrite(viewer);
        var c = await FindAsync(id, viewer, ct, track: true);
        var (contact, survey, _) = await PartiesAsync(c, ct);
        if (contact?.Email is not { } email || !EmailAddresses.TryNormalize(email, out _))
        {
            throw new UnprocessableException("no_contact_email",
                "This response has no contact email address to reply to. Log a call or another contact, add a note, or close the case.");
        }

        var draft = await DraftAsync(id, input.Template, input.Language, viewer, ct);
        var errors = new FieldErrors();
        var subject = input.Subject is null ? draft.Subject : EmailHeaders.Check(input.Subject, "subject", EmailHeaders.MaxSubject, errors);
        if (input.Subject is not null && subject is null && !errors.Any)
        {
            errors.Add("subject", "Write a subject.");
        }

        var body = input.Body is null ? draft.Body : TextInput.Comment(input.Body, "body", errors);
        if (body is null && !errors.Any)
        {
            errors.Add("body", "Write the message.");
        }

        RefusePlaceholders(subject, "subject", errors);
        RefusePlaceholders(body, "body", errors);
        errors.ThrowIfAny();
        var now = Now;
        var agent = await AgentNameAsync(viewer, ct);
        var replyUrl = $"{urls.Base}/reply/{c.ReplyToken}";
        var content = ReplyMail.Compose(draft.Locale, subject!, body!, agent, survey.BrandName, replyUrl);
        var toName = contact.Name is { } n && EmailHeaders.IsSafe(n) && n.Length <= EmailHeaders.MaxDisplayName ? n : null;
        var mail = outbox.Enqueue(EmailKinds.CaseReply, email, content, toName: toName, relatedId: c.Id);
        var activity = Log(c.Id, now, ActivityKind.ReplySent, $"{subject}\n\n{body}", viewer.Actor);
        activity.EmailId = mail.Id;
        if (draft.Template == ReplyTemplate.Closing && c.Status != CaseStatus.Closed)
        {
            Log(c.Id, now, ActivityKind.StatusChanged, $"Status: {CaseDto.StatusName(c.Status)} → closed (told them what we did).", viewer.Actor);
            SetStatus(c, CaseStatus.Closed, now);
        }

        c.UpdatedAt = now;
        webhookEvents.Add(WebhookEventTypes.CaseUpdated, c.Id.ToString(), CaseDto.From(c, now));
        await db.SaveChangesAsync(ct);
        return CaseActivityDto.From(activity, new ReplyMailState(relay.IsConfigured ? "queued" : "no_relay", null, null));
    }

    private static void RefusePlaceholders(string? text, string field, FieldErrors errors)
    {
        if (text is not null && ReplyTemplates.Placeholders(text) is [var first, ..] all)
        {
            var (number, line) = ReplyTemplates.LineAt(text, first.Index);
            var more = all.Count == 1 ? "" : $" {all.Count} placeholders are left.";
            errors.Add(field, $"Replace the placeholder {text.Substring(first.Index, first.Length)} in line {number} (“{line.Trim()}”) with your own words before sending.{more}");
        }
    }

    public static readonly IReadOnlyList<string> ContactChannels = ["phone", "chat", "in_person", "social", "other"];

    public static string ChannelName(string channel) => channel switch
    {
        "phone" => "Phone call",
        "chat" => "Chat",
        "in_person" => "In person",
        "social" => "Social media",
        _ => "Other contact",
    };

    /// <summary>
    /// The agent reached the respondent another way (a call, a chat, in person) and says so: that counts as the first
    /// contact, as an accepted reply does.
    /// </summary>
    public async Task<CaseActivityDto> LogContactAsync(Guid id, ContactLogInput input, CaseViewer viewer, CancellationToken ct)
    {
        RequireWrite(viewer);
        var errors = new FieldErrors();
        var channel = input.Channel?.Trim().ToLowerInvariant();
        if (channel is null || !ContactChannels.Contains(channel))
        {
            errors.Add("channel", "Use " + string.Join(", ", ContactChannels) + ".");
        }

        var note = TextInput.Comment(input.Note, "note", errors);
        errors.ThrowIfAny();
        var c = await FindAsync(id, viewer, ct, track: true);
        var now = Now;
        var activity = Log(c.Id, now, ActivityKind.ContactLogged, ChannelName(channel!) + (note is null ? "." : ": " + note), viewer.Actor);
        c.FirstContactedAt ??= now;
        if (c.Status == CaseStatus.New)
        {
            Log(c.Id, now, ActivityKind.StatusChanged, "Status: new → contacted.", viewer.Actor);
            c.Status = CaseStatus.Contacted;
        }

        c.UpdatedAt = now;
        webhookEvents.Add(WebhookEventTypes.CaseUpdated, c.Id.ToString(), CaseDto.From(c, now));
        await db.SaveChangesAsync(ct);
        await RescoreContactAsync(c, ct);
        return CaseActivityDto.From(activity);
    }

    public static void SetStatus(FollowUpCase c, CaseStatus status, DateTime now)
    {
        c.Status = status;
        switch (status)
        {
            case CaseStatus.Contacted:
                c.FirstContactedAt ??= now;
                c.ClosedAt = null;
                break;
            case CaseStatus.Resolved:
                c.ResolvedAt ??= now;
                c.ClosedAt = null;
                break;
            case CaseStatus.Closed:
                c.ResolvedAt ??= now;
                c.ClosedAt = now;
                break;
            case CaseStatus.WontFix:
                c.ClosedAt = now;
                break;
            case CaseStatus.New:
                c.ClosedAt = null;
                break;
        }
    }

    private static List<string> CleanTags(IReadOnlyList<string> input, FieldErrors errors)
    {
        var tags = new List<string>();
        if (input.Count > MaxTags)
        {
            errors.Add("tags", $"Use at most {MaxTags} tags.");
            return tags;
        }

        foreach (var raw in input)
        {
            var tag = TextInput.Line(raw, "tags", MaxTagLength, errors);
            if (tag is null)
            {
                continue;
            }

            if (tag.Contains(',', StringComparison.Ordinal))
            {
                errors.Add("tags", "A tag cannot contain a comma.");
                continue;
            }

            if (!tags.Contains(tag, StringComparer.OrdinalIgnoreCase))
            {
                tags.Add(tag);
            }
        }

        return tags;
    }

    private static void RequireWrite(CaseViewer viewer)
    {
        if (!viewer.CanWrite)
        {
            throw new ForbiddenException("read_only", "Your role can read cases but not change them.");
        }
    }

    private async Task<(Contact? Contact, Survey Survey, SurveyResponse Response)> PartiesAsync(FollowUpCase c, CancellationToken ct)
    {
        var contact = c.ContactId is { } contactId ? await db.Contacts.AsNoTracking().SingleOrDefaultAsync(p => p.Id == contactId, ct) : null;
        var survey = await db.Surveys.AsNoTracking().SingleAsync(s => s.Id == c.SurveyId, ct);
        var response = await db.Responses.AsNoTracking().SingleAsync(r => r.Id == c.ResponseId, ct);
        return (contact, survey, response);
    }

    private async Task<string> AgentNameAsync(CaseViewer viewer, CancellationToken ct)
    {
        if (viewer.UserId is { } userId && await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new { u.DisplayName, u.Email }).SingleOrDefaultAsync(ct) is { } user)
        {
            return string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email : user.DisplayName;
        }

        return await db.Workspaces.AsNoTracking().Where(w => w.Id == db.Workspace.RequiredWorkspaceId).Select(w => w.SenderName ?? w.Name).SingleAsync(ct);
    }

    private CaseActivity Log(Guid caseId, DateTime at, ActivityKind kind, string body, string actor)
    {
        var activity = new CaseActivity { CaseId = caseId, At = at, Kind = kind, Body = body, Actor = actor };
        db.CaseActivities.Add(activity);
        return activity;
    }

    /// <summary>A case's status, owner and first contact are churn signals: its contact's risk is recomputed after each change.</summary>
    private async Task RescoreContactAsync(FollowUpCase c, CancellationToken ct)
    {
        if (c.ContactId is { } contactId)
        {
            await risk.RescoreAsync([contactId], ct);
        }
    }
}
