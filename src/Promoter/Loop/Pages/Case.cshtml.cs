using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Localization;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter.Loop.Pages;

/// <summary>
/// One case: the response, the contact with their score history and properties, the thread and the internal notes; the
/// owner changes status, tags and root cause, writes notes, and replies to the respondent from a template.
/// </summary>
[Authorize]
public sealed class CaseModel(CaseService cases, PromoterDb db, LocaleCatalog locales, MailRelay relay) : PageModel
{
    public RelayState Relay { get; private set; } = null!;
    public IReadOnlyList<string> Channels => CaseService.ContactChannels;
    public CaseDetail Detail { get; private set; } = null!;
    public IReadOnlyList<LoopMember> Members { get; private set; } = [];
    public IReadOnlyList<string> RootCauses { get; private set; } = [];
    public IReadOnlyList<Locale> Languages => locales.All.OrderBy(l => l.Code, StringComparer.Ordinal).ToList();
    public bool CanWrite => User.HasScope(Scopes.CasesWrite);
    public bool CanAssignOthers => CaseViewer.Of(User).MayAssignOthers;
    public string? Done { get; private set; }
    public Locale ReplyLocale { get; private set; } = null!;

    [BindProperty] public string? Status { get; set; }
    [BindProperty] public string? Owner { get; set; }
    [BindProperty] public string? Tags { get; set; }
    [BindProperty] public string? RootCause { get; set; }
    [BindProperty] public string? Note { get; set; }
    [BindProperty(SupportsGet = true)] public string? Template { get; set; }
    [BindProperty(SupportsGet = true)] public string? Language { get; set; }
    [BindProperty] public string? Subject { get; set; }
    [BindProperty] public string? Body { get; set; }
    [BindProperty] public string? WhatWeDid { get; set; }
    [BindProperty] public string? Channel { get; set; }
    [BindProperty] public string? ContactNote { get; set; }

    /// <summary>What the notice after an action says: the truth about a reply (queued, and whether it can leave).</summary>
    public string? DoneText => Done switch
    {
        null => null,
        "reply" or "closed" when !Relay.Configured =>
            (Done == "closed" ? "Case closed. " : "") + "The reply is queued but cannot leave: no mail relay is configured. The case counts as contacted only once a relay accepts it.",
        "reply" => "Reply queued for the mail relay; its state shows on the message below. The case counts as contacted once the relay accepts it.",
        "closed" => "Case closed; the closing message is queued for the mail relay (its state shows below).",
        "contact" => "Contact logged; the case counts as contacted.",
        "note" => "Note added.",
        _ => "Saved.",
    };
    public static string ScoreClass(string category) => category switch
    {
        "detractor" => "sd",
        "passive" => "sp",
        _ => "sr",
    };

    public async Task<IActionResult> OnGetAsync(Guid id, string? done, CancellationToken ct)
    {
        if (!User.HasScope(Scopes.CasesRead))
        {
            return Forbid();
        }

        Done = done;
        try
        {
            await LoadAsync(id, draft: true, ct);
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (RequestValidationException e)
        {
            AddErrors(e);
            Template = Language = null;
            await LoadAsync(id, draft: true, ct);
        }

        return Page();
    }

    public Task<IActionResult> OnPostUpdateAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "updated", () => cases.UpdateAsync(id, new CasePatch(Status, Owner,
            Tags is null ? null : Tags.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), RootCause ?? ""), CaseViewer.Of(User), ct), ct);

    public Task<IActionResult> OnPostNoteAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "note", () => cases.AddNoteAsync(id, Note, CaseViewer.Of(User), ct), ct);

    public Task<IActionResult> OnPostContactAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "contact", () => cases.LogContactAsync(id, new ContactLogInput(Channel, ContactNote), CaseViewer.Of(User), ct), ct);

    public Task<IActionResult> OnPostReplyAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "reply", () => cases.ReplyAsync(id, new ReplyInput(Template, Subject, Body, Language), CaseViewer.Of(User), ct), ct);

    /// <summary>"Tell them what we did": the closing template with the agent's one line filled in, sent, and the case closed.</summary>
    public Task<IActionResult> OnPostCloseAsync(Guid id, CancellationToken ct) =>
        ActAsync(id, "closed", async () =>
        {
            var errors = new FieldErrors();
            var what = TextInput.Comment(WhatWeDid, "whatWeDid", errors);
            if (what is null && !errors.Any)
            {
                errors.Add("whatWeDid", "Say in a line what you did.");
            }

            errors.ThrowIfAny();
            var viewer = CaseViewer.Of(User);
            var draft = await cases.DraftAsync(id, nameof(ReplyTemplate.Closing), Language, viewer, ct);
            var marker = draft.Body.IndexOf('…', StringComparison.Ordinal);
            var body = marker >= 0 ? draft.Body[..marker] + what + draft.Body[(marker + 1)..] : draft.Body + "\n" + what;
            return await cases.ReplyAsync(id, new ReplyInput(nameof(ReplyTemplate.Closing), draft.Subject, body, draft.Locale.Code), viewer, ct);
        }, ct);

    private async Task<IActionResult> ActAsync<T>(Guid id, string done, Func<Task<T>> act, CancellationToken ct)
    {
        if (!CanWrite)
        {
            return Forbid();
        }

        try
        {
            await act();
            return Redirect($"/cases/{id}?done={done}");
        }
        catch (NotFoundException)
        {
            return NotFound();
        }
        catch (RequestValidationException e)
        {
            AddErrors(e);
        }
        catch (DomainException e)
        {
            ModelState.AddModelError("", e.Message);
        }

        await LoadAsync(id, draft: false, ct);
        return Page();
    }

    private void AddErrors(RequestValidationException e)
    {
        foreach (var (field, messages) in e.Errors)
        {
            ModelState.AddModelError(field, string.Join(" ", messages));
        }
    }

    private async Task LoadAsync(Guid id, bool draft, CancellationToken ct)
    {
        var viewer = CaseViewer.Of(User);
        Detail = await cases.GetAsync(id, viewer, ct);
        Relay = await relay.StateAsync(db, ct);
        Members = (await LoopMembers.ListAsync(db, ct)).Where(m => m.CanOwnCases).ToList();
        RootCauses = (await db.LoopSettings.AsNoTracking().SingleOrDefaultAsync(ct) ?? new LoopSettings()).RootCauseList;
        Status ??= Detail.Case.Status;
        Owner ??= Detail.Case.OwnerUserId?.ToString() ?? "";
        Tags ??= string.Join(", ", Detail.Case.Tags);
        RootCause ??= Detail.Case.RootCause;
        var reply = await cases.DraftAsync(id, Template, Language, viewer, ct);
        ReplyLocale = reply.Locale;
        Template = ReplyTemplates.Key(reply.Template);
        Language = reply.Locale.Code;
        if (draft)
        {
            Subject = reply.Subject;
            Body = reply.Body;
        }
    }

    /// <summary>The text, HTML-encoded, with each placeholder the agent has not filled in marked.</summary>
    public static IHtmlContent PlaceholderHtml(string text)
    {
        var html = new HtmlContentBuilder();
        var at = 0;
        foreach (var (index, length) in ReplyTemplates.Placeholders(text))
        {
            html.Append(text[at..index]);
            html.AppendHtml("<mark class=\"placeholder\">").Append(text.Substring(index, length)).AppendHtml("</mark>");
            at = index + length;
        }

        return html.Append(text[at..]);
    }

    /// <summary>Placeholders left in a reply the server refused: the field, its text, and where the first one starts.</summary>
    public IEnumerable<(string Field, string Label, string Text)> RefusedPlaceholders()
    {
        foreach (var (field, label, text) in new[] { ("subject", "Subject", Subject), ("body", "Message", Body) })
        {
            if (text is not null && ModelState.TryGetValue(field, out var entry) && entry.Errors.Count > 0 && ReplyTemplates.Placeholders(text).Count > 0)
            {
                yield return (field, label, text);
            }
        }
    }

    public static string MailStateText(ReplyMailState mail, int ttlHours) => mail.State switch
    {
        "sent" => $"Sent: the mail relay accepted it {mail.SentAt:yyyy-MM-dd HH:mm} UTC",
        "queued" => "Queued: waiting for the mail relay",
        "retrying" => "Not sent yet: the relay has not taken it; retrying" + (mail.Detail is { } d ? $" ({d})" : ""),
        "no_relay" => $"Not sent: no mail relay is configured. It waits in the outbox and expires {ttlHours} h after it was written",
        "failed" => "Failed: the relay refused it" + (mail.Detail is { } f ? $" ({f})" : ""),
        "expired" => "Not delivered: it expired in the outbox" + (mail.Detail is { } e ? $" ({e})" : ""),
        "suppressed" => "Not sent: the address unsubscribed or bounced",
        "cancelled" => "Not sent: cancelled",
        _ => "Finished long ago; the outbox no longer keeps its state",
    };

    public static string MailStateClass(ReplyMailState mail) => mail.State switch
    {
        "sent" => "tag ok",
        "queued" or "retrying" or "purged" => "tag",
        _ => "tag bad",
    };

    public string MemberName(string actor) =>
        actor.StartsWith("user:", StringComparison.Ordinal) && Guid.TryParse(actor[5..], out var id)
            ? Members.FirstOrDefault(m => m.UserId == id)?.Label ?? "a former member"
            : actor switch { "respondent" => "Respondent", "system" => "Promoter", _ => actor };
}
