using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Platform;

namespace Promoter.Collect.Respondent;

/// <summary>One post from a survey page, validated: what to store and on whose behalf.</summary>
public sealed record RespondentAnswer
{
    public required RespondentTarget Target { get; init; }
    public required FormTicket Ticket { get; init; }

    /// <summary>The embedding site's visitor, for widget answers.</summary>
    public Widget.WidgetIdentity? Widget { get; init; }
    public required short Score { get; init; }

    /// <summary>False for the score step: the comment and answers already stored stay as they are.</summary>
    public bool WithDetails { get; init; }

    public string? Comment { get; init; }
    public string? Answers { get; init; }
    public ResponseStatus Status { get; init; } = ResponseStatus.Final;
    public required string Language { get; init; }
    public required string Channel { get; init; }
    public string? NetworkPrefix { get; init; }
}

public enum RecordOutcome
{
    Created,
    Updated,

    /// <summary>The same values again (a retry, a double click): nothing to change.</summary>
    Unchanged,

    /// <summary>The answer is final and its edit window has passed; nothing was changed.</summary>
    EditWindowClosed,

    /// <summary>A provisional score cannot replace an answer the respondent already submitted.</summary>
    AlreadyFinal,
}

public sealed record RecordResult(RecordOutcome Outcome, long ResponseId, DateTime CreatedAt)
{
    public bool Stored => Outcome is RecordOutcome.Created or RecordOutcome.Updated or RecordOutcome.Unchanged;
}

/// <summary>
/// Stores a respondent's answer: one response per invitation, or per page submission id on anonymous links.
/// New responses go through the group-commit <see cref="ResponseWriter"/>, whose insert is conflict-safe on the unique
/// indexes (so racing first submits create one row). Later submits lock the row and update it; an update that would
/// overwrite something already said keeps the previous version as a <see cref="ResponseRevision"/>.
/// </summary>
public sealed class AnswerRecorder(PromoterDb db, ResponseWriter writer, TimeProvider clock)
{
    /// <summary>Posts from the page a response was created on may always complete it (the "why?" after the score), for this long.</summary>
    public static readonly TimeSpan SameVisit = TimeSpan.FromDays(1);

    public async Task<RecordResult> RecordAsync(RespondentAnswer answer, CancellationToken ct)
    {
        var existing = await FindAsync(answer, ct);
        if (existing is null)
        {
            var written = await writer.WriteAsync(NewResponseFor(answer), ct);
            if (written.Kind == WriteResultKind.Created)
            {
                await MarkInvitationAsync(answer, ct);
                return new RecordResult(RecordOutcome.Created, written.ResponseId, clock.GetUtcNow().UtcDateTime);
            }

            existing = written.ResponseId;
        }

        return await UpdateAsync(existing.Value, answer, ct);
    }

    private Task<long?> FindAsync(RespondentAnswer answer, CancellationToken ct)
    {
        var responses = db.Responses.AsNoTracking();
        var query = answer.Target.Invitation is { } invitation
            ? responses.Where(r => r.InvitationId == invitation.Id)
            : responses.Where(r => r.SurveyId == answer.Target.Survey.Id && r.SubmissionId == answer.Ticket.SubmissionKey);
        return query.Select(r => (long?)r.Id).SingleOrDefaultAsync(ct);
    }

    private NewResponse NewResponseFor(RespondentAnswer answer)
    {
        var survey = answer.Target.Survey;
        var invitation = answer.Target.Invitation;
        return new NewResponse
        {
            WorkspaceId = answer.Target.WorkspaceId,
            SurveyId = survey.Id,
            Score = answer.Score,
            Comment = answer.WithDetails ? answer.Comment : null,
            Answers = answer.WithDetails ? answer.Answers : null,
            Language = answer.Language,
            Channel = answer.Channel,
            Status = answer.Status,
            SubmissionId = answer.Ticket.SubmissionKey,
            InvitationId = invitation?.Id,
            // An anonymous survey keeps no link to the person, even when it was sent to them.
            ContactId = survey.Anonymous ? null : invitation?.ContactId,
            Contact = survey.Anonymous || answer.Widget?.Email is not { } email ? null : new NewContact(Guid.CreateVersion7(), email, answer.Widget.Name, null),
            Properties = invitation is not null ? PropertyBags.Write(PropertyBags.Read(invitation.Properties))
                : answer.Widget is { } widget && !survey.Anonymous ? PropertyBags.Write(WidgetProperties(widget))
                : null,
            TeamMember = invitation?.TeamMember,
            Touchpoint = invitation?.Touchpoint,
            NetworkPrefix = survey.Anonymous ? null : answer.NetworkPrefix,
            RespondedAt = clock.GetUtcNow().UtcDateTime,
        };
    }

    private static Dictionary<string, string> WidgetProperties(Widget.WidgetIdentity widget)
    {
        var properties = new Dictionary<string, string>(widget.Properties, StringComparer.Ordinal);
        if (widget.UserId is { } userId)
        {
            properties[Widget.WidgetSessions.UserIdProperty] = userId;
        }

        return properties;
    }

    private async Task<RecordResult> UpdateAsync(long id, RespondentAnswer answer, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        // Take the row lock before reading, so concurrent submits for one response queue here instead of overwriting
        // each other's revision (PostgreSQL row lock; SQLite holds the database write lock for the transaction).
        await db.Responses.Where(r => r.Id == id).ExecuteUpdateAsync(s => s.SetProperty(r => r.Revision, r => r.Revision), ct);
        var current = await db.Responses.AsNoTracking().SingleAsync(r => r.Id == id, ct);

        if (answer.Status == ResponseStatus.Provisional && current.Status == ResponseStatus.Final)
        {
            return new RecordResult(RecordOutcome.AlreadyFinal, id, current.CreatedAt);
        }

        var comment = answer.WithDetails ? answer.Comment : current.Comment;
        var answers = answer.WithDetails ? answer.Answers : current.Answers;
        var status = answer.Status == ResponseStatus.Final ? ResponseStatus.Final : current.Status;
        if (current.Score == answer.Score && current.Comment == comment && current.Answers == answers && current.Status == status)
        {
            return new RecordResult(RecordOutcome.Unchanged, id, current.CreatedAt);
        }

        var sameVisit = current.SubmissionId == answer.Ticket.SubmissionKey && now - answer.Ticket.IssuedAt.UtcDateTime <= SameVisit;
        if (current.Status == ResponseStatus.Final && !sameVisit && now >= EditableUntil(current.CreatedAt, answer.Target.Survey.EditWindowDays))
        {
            return new RecordResult(RecordOutcome.EditWindowClosed, id, current.CreatedAt);
        }

        // Filling in what was left empty erases nothing; changing the score or a given answer keeps the old version.
        var overwrites = current.Score != answer.Score
                         || (current.Comment is not null && current.Comment != comment)
                         || (current.Answers is not null && current.Answers != answers);
        var revision = overwrites ? current.Revision + 1 : current.Revision;
        var implicitlyConfirmed = current.ImplicitlyConfirmed && answer.Status != ResponseStatus.Final;
        await db.Responses.Where(r => r.Id == id).ExecuteUpdateAsync(s => s
            .SetProperty(r => r.Score, answer.Score)
            .SetProperty(r => r.Comment, comment)
            .SetProperty(r => r.Answers, answers)
            .SetProperty(r => r.Status, status)
            .SetProperty(r => r.ImplicitlyConfirmed, implicitlyConfirmed)
            .SetProperty(r => r.SubmissionId, answer.Ticket.SubmissionKey)
            .SetProperty(r => r.Language, answer.Language)
            .SetProperty(r => r.Revision, revision)
            .SetProperty(r => r.UpdatedAt, now), ct);
        if (overwrites)
        {
            db.ResponseRevisions.Add(new ResponseRevision
            {
                ResponseId = id,
                Revision = current.Revision,
                Score = current.Score,
                Comment = current.Comment,
                Answers = current.Answers,
                RecordedAt = now,
            });
            await db.SaveChangesAsync(ct);
        }

        await tx.CommitAsync(ct);
        if (status == ResponseStatus.Final)
        {
            await MarkInvitationAsync(answer, ct);
        }

        return new RecordResult(RecordOutcome.Updated, id, current.CreatedAt);
    }

    public static DateTime EditableUntil(DateTime createdAt, int editWindowDays) => createdAt.AddDays(editWindowDays);

    private async Task MarkInvitationAsync(RespondentAnswer answer, CancellationToken ct)
    {
        if (answer.Status != ResponseStatus.Final || answer.Target.Invitation is not { } invitation)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        await db.Invitations.Where(i => i.Id == invitation.Id && i.Status != InvitationStatus.Responded)
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, InvitationStatus.Responded)
                .SetProperty(i => i.RespondedAt, i => i.RespondedAt ?? now), ct);
    }
}
