using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Promoter.Platform;

namespace Promoter.Collect.Respondent;

/// <summary>
/// <c>POST /r/{token}/provisional</c> <c>{"score": 7, "nonce": "…"}</c>: the personal page's script keeps the chosen
/// score before Submit, but only after a real interaction or a visible dwell (the script's side) and only when nothing
/// suggests a mail scanner (this side). A refusal is 202 (the page just waits for Submit) or 409 (already answered).
/// </summary>
public static class ProvisionalScoreApi
{
    private const int MaxBodyBytes = 2 * 1024;

    public static IEndpointRouteBuilder MapRespondentCapture(this IEndpointRouteBuilder app)
    {
        app.MapPost("/r/{token}/provisional", KeepAsync)
            .AllowAnonymous()
            .DisableAntiforgery()
            .ExcludeFromDescription()
            .WithMetadata(new RespondentRateLimitedAttribute());
        return app;
    }

    public sealed record Answer(bool Stored, string? Reason = null);

    private static async Task<IResult> KeepAsync(string token, string? lang, HttpContext http, RespondentTargets targets, FormTickets tickets,
        ScannerGuard guard, AnswerRecorder recorder, SurveyViews views, TimeProvider clock, CancellationToken ct)
    {
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        // Only a JSON body: a cross-site form cannot send one without a CORS preflight, which this endpoint never grants.
        if (!http.Request.HasJsonContentType())
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType, title: "Send the body as application/json.");
        }

        var target = await targets.InvitationAsync(token, ct);
        if (target?.Invitation is not { } invitation)
        {
            return TypedResults.NotFound();
        }

        var (score, nonce, errors) = await ReadAsync(http.Request, ct);
        var ticket = tickets.Read(nonce);
        if (ticket is null || ticket.InvitationId != invitation.Id || ticket.SurveyId != target.Survey.Id)
        {
            errors["nonce"] = ["Send the nonce of the page the score was chosen on."];
        }

        if (errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors);
        }

        if (target.UnavailableReason(clock.GetUtcNow().UtcDateTime) is not null)
        {
            return Refused(StatusCodes.Status409Conflict, "closed");
        }

        if (target.Survey.ScoreCapture == Surveys.ScoreCapture.Explicit)
        {
            return Refused(StatusCodes.Status202Accepted, "explicit_capture");
        }

        if (await guard.ProvisionalRefusalAsync(invitation, ct) is { } reason)
        {
            return Refused(StatusCodes.Status202Accepted, reason);
        }

        var link = new RespondentLink($"/r/{token}", lang, Kiosk: false, Embed: false);
        var result = await recorder.RecordAsync(new RespondentAnswer
        {
            Target = target,
            Ticket = ticket!,
            Score = (short)score!.Value.Value,
            Status = ResponseStatus.Provisional,
            Language = views.LanguageFor(http, target, link).Code,
            Channel = RespondentFlow.ChannelOf(target, link),
            NetworkPrefix = ClientAddress.PrefixOf(http.Connection.RemoteIpAddress),
        }, ct);
        return result.Outcome switch
        {
            RecordOutcome.AlreadyFinal or RecordOutcome.EditWindowClosed => Refused(StatusCodes.Status409Conflict, "answered"),
            _ => TypedResults.Ok(new Answer(true)),
        };
    }

    private static JsonHttpResult<Answer> Refused(int status, string reason) => TypedResults.Json(new Answer(false, reason), statusCode: status);

    private static async Task<(Core.Score? Score, string? Nonce, Dictionary<string, string[]> Errors)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (request.ContentLength > MaxBodyBytes)
        {
            errors["body"] = [$"Send at most {MaxBodyBytes} bytes."];
            return (null, null, errors);
        }

        var buffer = new MemoryStream();
        var chunk = new byte[1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                errors["body"] = [$"Send at most {MaxBodyBytes} bytes."];
                return (null, null, errors);
            }
        }

        try
        {
            using var json = JsonDocument.Parse(buffer.ToArray());
            if (json.RootElement.ValueKind != JsonValueKind.Object)
            {
                errors["body"] = ["Send a JSON object."];
                return (null, null, errors);
            }

            var fields = new FieldErrors();
            var score = ScoreField.FromJson(json.RootElement.TryGetProperty("score", out var s) ? s : default, "score", fields);
            if (score is null)
            {
                errors["score"] = ["The score must be an integer from 0 to 10."];
            }

            var nonce = json.RootElement.TryGetProperty("nonce", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            return (score, nonce, errors);
        }
        catch (JsonException)
        {
            errors["body"] = ["The body is not valid JSON."];
            return (null, null, errors);
        }
    }
}
