using Microsoft.EntityFrameworkCore;
using Promoter.Core;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Collect.Respondent;

/// <summary>What to render and with which status code; <see cref="Quiet"/> asks for the status alone (background posts).</summary>
public sealed record RespondentOutcome(SurveyView View, int StatusCode, bool Quiet = false);

/// <summary>
/// The respondent page's two moves. Showing a link never writes a response (scanners open links too; a personal link
/// only leaves a <see cref="LinkHit"/>). Posting the form records: the score alone (step 1 without script), or the
/// whole answer. Both steps tie to one response through the page's signed <see cref="FormTicket"/>.
/// </summary>
public sealed class RespondentFlow(SurveyViews views, FormTickets tickets, AnswerRecorder recorder, ScannerGuard guard, PromoterDb db, TimeProvider clock,
    Widget.WidgetTickets widgets)
{
    /// <summary>Sent by the page's script when it records the score in the background; it needs no page back.</summary>
    public const string BackgroundHeader = "X-Promoter-Background";

    public async Task<RespondentOutcome> ShowAsync(HttpContext http, RespondentTarget? target, RespondentLink link, string? scoreText, CancellationToken ct)
    {
        if (target is null)
        {
            return Done(http, views.NotFound(http, link), StatusCodes.Status404NotFound);
        }

        var locale = views.LanguageFor(http, target, link);
        var preselected = scoreText is not null && Score.TryParse(scoreText, out var s) ? s.Value : (int?)null;
        if (target.Invitation is { } invitation)
        {
            // Recorded before anything else: a hit on an expired link is still a scanner signal worth seeing.
            var prefix = target.Survey.Anonymous ? null : ClientAddress.PrefixOf(http.Connection.RemoteIpAddress);
            await guard.RecordHitAsync(invitation, (short?)preselected, UserAgentClasses.Of(http.Request.Headers.UserAgent), prefix, ct);
        }

        var view = views.Form(target, locale, link, tickets.Issue(target.Survey.Id, target.Invitation?.Id), offerLanguages: true);
        if (Unavailable(target) is { } unavailable)
        {
            return Done(http, Message(view, unavailable.Key), unavailable.Status);
        }

        if (target.Invitation is { } inv && !await ShowPreviousAnswerAsync(view, target, inv, link, ct))
        {
            return Done(http, Message(view, "survey.error.edit_closed"), StatusCodes.Status200OK);
        }

        if (preselected is { } score)
        {
            view.Score = score;
            view.Step = PageStep.Details;
        }

        return Done(http, view, StatusCodes.Status200OK);
    }

    /// <summary>
    /// A returning respondent sees what they answered, editable while the window lasts; false when it no longer is.
    /// Personal links on implicit-capture surveys also get the provisional-score address until an answer is final.
    /// </summary>
    private async Task<bool> ShowPreviousAnswerAsync(SurveyView view, RespondentTarget target, Distribution.Invitation invitation, RespondentLink link, CancellationToken ct)
    {
        var existing = await db.Responses.AsNoTracking().Where(r => r.InvitationId == invitation.Id)
            .Select(r => new { r.Score, r.Comment, r.Answers, r.Status, r.CreatedAt }).SingleOrDefaultAsync(ct);
        if (existing is { Status: ResponseStatus.Final }
            && clock.GetUtcNow().UtcDateTime >= AnswerRecorder.EditableUntil(existing.CreatedAt, target.Survey.EditWindowDays))
        {
            return false;
        }

        if (existing is not null)
        {
            view.Score = existing.Score;
            view.Comment = existing.Comment;
            view.Answers = SurveyViews.RawAnswers(existing.Answers);
            view.Step = PageStep.Details;
            if (existing.Status == ResponseStatus.Final && target.Survey.EditWindowDays > 0)
            {
                view.EditUntil = SurveyViews.EditUntilText(view.Locale, existing.CreatedAt, target.Survey.EditWindowDays);
            }
        }

        if (target.Survey.ScoreCapture == Surveys.ScoreCapture.Implicit && existing is not { Status: ResponseStatus.Final })
        {
            view.ProvisionalUrl = $"{link.Path}/provisional?lang={view.Locale.Code}";
        }

        return true;
    }

    public async Task<RespondentOutcome> PostAsync(HttpContext http, RespondentTarget? target, RespondentLink link, CancellationToken ct)
    {
        if (target is null)
        {
            return Done(http, views.NotFound(http, link), StatusCodes.Status404NotFound);
        }

        var locale = views.LanguageFor(http, target, link);
        var fresh = tickets.Issue(target.Survey.Id, target.Invitation?.Id);
        var view = views.Form(target, locale, link, fresh, offerLanguages: false);
        var background = http.Request.Headers.ContainsKey(BackgroundHeader);
        if (Unavailable(target) is { } unavailable)
        {
            return Done(http, Message(view, unavailable.Key), StatusCodes.Status409Conflict, background);
        }

        var (form, refusal) = await ReadFormAsync(http, view, ct);
        if (form is null)
        {
            return Done(http, view, refusal, background);
        }

        var posted = PostedAnswers.Read(form, target.Definition, locale);
        view.Step = posted.Step == FormStep.Score ? PageStep.Score : PageStep.Details;
        view.Score = posted.Score?.Value;
        view.Comment = posted.RawComment;
        view.Answers = posted.RawAnswers;
        var ticket = tickets.Read(posted.Ticket);
        if (ticket is null || ticket.SurveyId != target.Survey.Id || ticket.InvitationId != target.Invitation?.Id)
        {
            // A page from another survey, a forged or a mangled ticket: show the form again with a good one.
            view.Errors = new Dictionary<string, string> { [PostedAnswers.TicketField] = locale.Text("survey.error.generic") };
            view.Alert = locale.Text("survey.error.generic");
            return Done(http, view, StatusCodes.Status400BadRequest, background);
        }

        view.Ticket = posted.Ticket;
        if (!posted.IsValid)
        {
            view.Errors = posted.Errors;
            return Done(http, view, StatusCodes.Status400BadRequest, background);
        }

        var score = posted.Score!.Value;
        if (target.Invitation is null)
        {
            if (posted.HoneypotFilled)
            {
                // Dropped without a trace, answered as if stored: a bot learns nothing from the reply.
                return Succeeded(http, view, target, link, posted, score.Value, clock.GetUtcNow().UtcDateTime, background);
            }

            if (SubmissionSignals.LooksScripted(http.Request, clock.GetUtcNow() - ticket.IssuedAt))
            {
                view.Alert = locale.Text("survey.error.too_fast");
                return Done(http, view, StatusCodes.Status400BadRequest, background);
            }
        }

        var result = await recorder.RecordAsync(new RespondentAnswer
        {
            Target = target,
            Ticket = ticket,
            Widget = link.Embed ? widgets.Read(link.Widget, target.Survey.Id) : null,
            Score = (short)score.Value,
            WithDetails = posted.Step == FormStep.Submit,
            Comment = posted.Comment,
            Answers = posted.AnswersJson,
            Language = locale.Code,
            Channel = ChannelOf(target, link),
            // A kiosk is a shared device in a public place: its network says nothing about the respondent.
            NetworkPrefix = link.Kiosk ? null : ClientAddress.PrefixOf(http.Connection.RemoteIpAddress),
        }, ct);
        if (result.Outcome == RecordOutcome.EditWindowClosed)
        {
            return Done(http, Message(view, "survey.error.edit_closed"), StatusCodes.Status409Conflict, background);
        }

        return Succeeded(http, view, target, link, posted, score.Value, result.CreatedAt, background);
    }

    private static RespondentOutcome Succeeded(HttpContext http, SurveyView view, RespondentTarget target, RespondentLink link, PostedAnswers posted,
        int score, DateTime createdAt, bool background)
    {
        if (posted.Step == FormStep.Score)
        {
            view.Step = PageStep.Details;
            view.Errors = new Dictionary<string, string>();
            if (target.Invitation is not null && target.Survey.EditWindowDays > 0)
            {
                view.EditUntil = SurveyViews.EditUntilText(view.Locale, createdAt, target.Survey.EditWindowDays);
            }

            return Done(http, view, StatusCodes.Status200OK, background);
        }

        SurveyViews.Thanks(view, target, score, posted.Comment, createdAt, link);
        return Done(http, view, StatusCodes.Status200OK, background);
    }

    public static string ChannelOf(RespondentTarget target, RespondentLink link)
    {
        if (target.Invitation is { } invitation)
        {
            return Channels.IsValid(invitation.Channel) ? invitation.Channel : Channels.Email;
        }

        return link.Embed ? Channels.Widget : link.Kiosk ? Channels.Kiosk : Channels.Link;
    }

    private (string Key, int Status)? Unavailable(RespondentTarget target) =>
        target.UnavailableReason(clock.GetUtcNow().UtcDateTime) is { } key ? (key, StatusCodes.Status410Gone) : null;

    private static SurveyView Message(SurveyView view, string key)
    {
        view.Step = PageStep.Message;
        view.Message = view.Locale.Text(key);
        view.Ticket = null;
        return view;
    }

    private static async Task<(IFormCollection? Form, int Refusal)> ReadFormAsync(HttpContext http, SurveyView view, CancellationToken ct)
    {
        try
        {
            if (http.Request.HasFormContentType)
            {
                return (await http.Request.ReadFormAsync(ct), 0);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            view.Errors = new Dictionary<string, string> { ["body"] = view.Locale.Text("survey.error.too_large") };
            view.Alert = view.Locale.Text("survey.error.too_large");
            return (null, StatusCodes.Status413PayloadTooLarge);
        }
        catch (Exception e) when (e is BadHttpRequestException or InvalidDataException)
        {
            // Malformed encoding, too many fields or an over-long value: the form limits of FormOptions.
        }

        view.Errors = new Dictionary<string, string> { ["body"] = view.Locale.Text("survey.error.generic") };
        view.Alert = view.Locale.Text("survey.error.generic");
        return (null, StatusCodes.Status400BadRequest);
    }

    private static RespondentOutcome Done(HttpContext http, SurveyView view, int status, bool quiet = false)
    {
        RespondentHeaders.Apply(http.Response, view);
        return new RespondentOutcome(view, status, quiet);
    }
}
