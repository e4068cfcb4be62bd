using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Distribution.Sending;
using Promoter.Platform;

namespace Promoter.Distribution.Recurring;

/// <summary><c>/api/v1/recurring-sends</c>: relationship surveys every N days per contact (e.g. quarterly), spread evenly over the days.</summary>
public static class RecurringSendsApi
{
    public static IEndpointRouteBuilder MapRecurringSendsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/recurring-sends").WithTags("Sending").RequireAuthorization();
        api.MapGet("/", List).RequireScope(Scopes.SurveysRead)
            .WithSummary("List recurring relationship sends");
        api.MapPost("/", Create).RequireScope(Scopes.DistributionWrite)
            .WithSummary("Create a recurring send (e.g. every 90 days per contact)");
        api.MapPatch("/{id:guid}", Update).RequireScope(Scopes.DistributionWrite)
            .WithSummary("Change or pause a recurring send");
        return app;
    }

    public sealed record RecurringSendDto(Guid Id, Guid SurveyId, string Name, int EveryDays, bool Active, int Enrolled, DateTime CreatedAt, DateTime UpdatedAt);

    [JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
    public sealed record RecurringSendInput(Guid? SurveyId, string? Name, int? EveryDays, bool? Active);

    public const int MinEveryDays = 1;
    public const int MaxEveryDays = 3650;

    private static async Task<Ok<List<RecurringSendDto>>> List(PromoterDb db, CancellationToken ct) =>
        TypedResults.Ok(await db.Sends.AsNoTracking().Where(s => s.Kind == SendKind.Recurring).OrderBy(s => s.CreatedAt)
            .Select(s => new RecurringSendDto(s.Id, s.SurveyId, s.Name, s.EveryDays ?? 0, s.Active,
                db.RecurringEnrollments.Count(e => e.SendId == s.Id), s.CreatedAt, s.UpdatedAt))
            .ToListAsync(ct));

    private static async Task<Created<RecurringSendDto>> Create(RecurringSendInput body, PromoterDb db, TimeProvider clock, AuditLog audit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = TextInput.Line(body.Name, "name", 200, errors);
        if (name is null && !errors.Any)
        {
            errors.Add("name", "Give the send a name, e.g. \"Quarterly relationship survey\".");
        }

        if (body.SurveyId is null)
        {
            errors.Add("surveyId", "Give the survey to send.");
        }
        else if (!await db.Surveys.AnyAsync(s => s.Id == body.SurveyId, ct))
        {
            errors.Add("surveyId", "No such survey in this workspace.");
        }

        CheckEveryDays(body.EveryDays ?? 90, errors);
        errors.ThrowIfAny();
        var now = clock.GetUtcNow().UtcDateTime;
        var send = new Send
        {
            Id = Guid.CreateVersion7(),
            SurveyId = body.SurveyId!.Value,
            Kind = SendKind.Recurring,
            Name = name!,
            EveryDays = body.EveryDays ?? 90,
            Active = body.Active ?? true,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.Sends.Add(send);
        audit.Record("recurring_send.created", $"send:{send.Id}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Created($"/api/v1/recurring-sends/{send.Id}", ToDto(send, 0));
    }

    private static async Task<Ok<RecurringSendDto>> Update(Guid id, RecurringSendInput body, PromoterDb db, TimeProvider clock, AuditLog audit, CancellationToken ct)
    {
        var send = await db.Sends.SingleOrDefaultAsync(s => s.Id == id && s.Kind == SendKind.Recurring, ct) ?? throw new NotFoundException("recurring send");
        var errors = new FieldErrors();
        if (body.SurveyId is { } surveyId && surveyId != send.SurveyId)
        {
            errors.Add("surveyId", "A recurring send keeps its survey; create another send for another survey.");
        }

        if (body.Name is not null)
        {
            send.Name = TextInput.Line(body.Name, "name", 200, errors) ?? send.Name;
        }

        if (body.EveryDays is { } every && CheckEveryDays(every, errors))
        {
            // Rounds already scheduled keep their date; the new interval applies from the next one.
            send.EveryDays = every;
        }

        if (body.Active is { } active)
        {
            send.Active = active;
        }

        errors.ThrowIfAny();
        send.UpdatedAt = clock.GetUtcNow().UtcDateTime;
        audit.Record("recurring_send.updated", $"send:{send.Id}");
        await db.SaveChangesAsync(ct);
        return TypedResults.Ok(ToDto(send, await db.RecurringEnrollments.CountAsync(e => e.SendId == id, ct)));
    }

    private static bool CheckEveryDays(int days, FieldErrors errors)
    {
        if (days is < MinEveryDays or > MaxEveryDays)
        {
            errors.Add("everyDays", $"Use {MinEveryDays} to {MaxEveryDays} days.");
            return false;
        }

        return true;
    }

    private static RecurringSendDto ToDto(Send s, int enrolled) =>
        new(s.Id, s.SurveyId, s.Name, s.EveryDays ?? 0, s.Active, enrolled, s.CreatedAt, s.UpdatedAt);
}
