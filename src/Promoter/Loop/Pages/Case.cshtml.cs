using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Localization;
using Promoter.Platform;

namespace Promoter.Loop.Pages;

/// <summary>
/// One case: the response, the contact with their score history and properties, the thread and the internal notes; the
/// owner changes status, tags and root cause, writes notes, and replies to the respondent from a template.
/// </summary>
[Authorize]
public sealed class CaseModel(CaseService cases, PromoterDb db, LocaleCatalog locales) : PageModel
{
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

    public string MemberName(string actor) =>
        actor.StartsWith("user:", StringComparison.Ordinal) && Guid.TryParse(actor[5..], out var id)
            ? Members.FirstOrDefault(m => m.UserId == id)?.Label ?? "a former member"
            : actor switch { "respondent" => "Respondent", "system" => "Promoter", _ => actor };
}
