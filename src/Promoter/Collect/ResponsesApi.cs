using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Collect;

/// <summary>
/// <c>/api/v1/responses</c>: responses collected elsewhere (a helpdesk, a social-care inbox, a spreadsheet) and
/// the paged list of all responses.
/// </summary>
public static class ResponsesApi
{
    public const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapResponsesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/responses").WithTags("Responses").RequireAuthorization();
        api.MapPost("/", Create).RequireScope(Scopes.ResponsesWrite)
            .Accepts<ResponseInput>("application/json").Produces<ResponseDto>(StatusCodes.Status201Created)
            .WithMetadata(AcceptsIdempotencyKey.Instance)
            .WithSummary("Record a response collected elsewhere (idempotent with an Idempotency-Key)");
        api.MapGet("/", List).RequireScope(Scopes.ResponsesRead)
            .WithSummary("List responses, newest first, with filters and keyset paging");
        api.MapGet("/{id:long}", Get).RequireScope(Scopes.ResponsesRead)
            .WithSummary("Get one response");
        return app;
    }

    public sealed record ResponsePage(List<ResponseDto> Data, string? NextCursor);

    // No PromoterDb parameter: creating a DbContext per request was a large share of intake CPU, and the common path
    // (cached survey, writer) never queries through EF. It is resolved only when needed.
    private static async Task<IResult> Create(HttpContext http, WorkspaceContext workspace, ResponseWriter writer, IdempotencyKeys keys,
        IOptions<JsonOptions> json, TimeProvider clock, IMemoryCache cache, CancellationToken ct)
    {
        if (!http.Request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Send the body as application/json.", StatusCodes.Status415UnsupportedMediaType);
        }

        var body = await ReadBodyAsync(http.Request, ct);
        var workspaceId = workspace.RequiredWorkspaceId;
        PromoterDb Db() => http.RequestServices.GetRequiredService<PromoterDb>();
        var key = http.Request.Headers[IdempotencyKeys.Header].ToString();
        if (key.Length > 0 && !IdempotencyKeys.IsValidKey(key))
        {
            throw RequestValidationException.For(IdempotencyKeys.Header, "Use 1 to 255 printable ASCII characters.");
        }

        if (key.Length > 0 && !keys.TryBegin(workspaceId, key))
        {
            throw new ConflictException("idempotency_in_flight", "A request with this Idempotency-Key is still being processed; retry later.");
        }

        try
        {
            var hash = key.Length > 0 ? IdempotencyKeys.Fingerprint(body) : "";
            if (key.Length > 0 && await Db().IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.Key == key, ct) is { } previous)
            {
                return previous.RequestHash == hash ? Replay(previous.StatusCode, previous.ResponseBody) : KeyReused();
            }

            var input = Parse(body, json.Value.SerializerOptions);
            var response = await ValidateAsync(input, workspaceId, http.RequestServices, cache, clock.GetUtcNow().UtcDateTime, ct);
            if (key.Length > 0)
            {
                response = response with
                {
                    Idempotency = new IdempotentRequest(key, hash, written => JsonSerializer.Serialize(ToDto(response, written, input.Contact), json.Value.SerializerOptions)),
                };
            }

            var result = await writer.WriteAsync(response, ct);
            return result.Kind switch
            {
                WriteResultKind.Replayed => Replay(result.StatusCode, result.StoredBody!),
                WriteResultKind.KeyReused => KeyReused(),
                _ when result.StoredBody is { } stored => Stored(StatusCodes.Status201Created, stored, result.ResponseId),
                // The writer knows everything the row holds: answer without reading it back.
                WriteResultKind.Created when result.Written is { } written =>
                    TypedResults.Created($"/api/v1/responses/{result.ResponseId}", ToDto(response, written, input.Contact)),
                _ => TypedResults.Created($"/api/v1/responses/{result.ResponseId}", await LoadAsync(Db(), result.ResponseId, ct)),
            };
        }
        finally
        {
            if (key.Length > 0)
            {
                keys.End(workspaceId, key);
            }
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
        }

        var buffer = new ArrayBufferWriter<byte>();
        while (true)
        {
            var read = await request.Body.ReadAsync(buffer.GetMemory(4096), ct);
            if (read == 0)
            {
                return buffer.WrittenSpan.ToArray();
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBodyBytes)
            {
                throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
            }
        }
    }

    private static ResponseInput Parse(byte[] body, JsonSerializerOptions options)
    {
        try
        {
            return JsonSerializer.Deserialize<ResponseInput>(body, options)
                   ?? throw RequestValidationException.For("body", "Send a JSON object.");
        }
        catch (JsonException e)
        {
            throw new BadHttpRequestException("Invalid JSON.", StatusCodes.Status400BadRequest, e);
        }
    }

    private static async Task<NewResponse> ValidateAsync(ResponseInput input, Guid workspaceId, IServiceProvider services, IMemoryCache cache, DateTime now,
        CancellationToken ct)
    {
        var errors = new FieldErrors();
        var score = ScoreField.FromJson(input.Score, "score", errors);
        var comment = TextInput.Comment(input.Comment, "comment", errors);
        var respondedAt = ResponseFields.Time(input.RespondedAt, "respondedAt", now, errors);
        var properties = TextInput.Properties(input.Properties, "properties", errors);
        var teamMember = TextInput.Line(input.TeamMember, "teamMember", 256, errors);
        var touchpoint = TextInput.Line(input.Touchpoint, "touchpoint", 256, errors);
        if (input.Channel is not null && !Channels.IsValid(input.Channel))
        {
            errors.Add("channel", "Use a short lowercase name such as api, helpdesk or facebook (a-z, 0-9, '-', '_').");
        }

        if (input.Language is not null && !ResponseFields.IsLanguageTag(input.Language))
        {
            errors.Add("language", "Use a language tag such as en, sv or pt-BR.");
        }

        NewContact? contact = null;
        if (input.Contact is { } c)
        {
            if (!EmailAddresses.TryNormalize(c.Email, out var email))
            {
                errors.Add("contact.email", "Enter a valid email address.");
            }

            var name = TextInput.Line(c.Name, "contact.name", 256, errors);
            if (c.Locale is not null && !ResponseFields.IsLanguageTag(c.Locale))
            {
                errors.Add("contact.locale", "Use a language tag such as en, sv or pt-BR.");
            }

            contact = new NewContact(Guid.CreateVersion7(), email, name, c.Locale);
        }

        if (input.SurveyId is null)
        {
            errors.Add("surveyId", "Name the survey the response belongs to.");
        }

        errors.ThrowIfAny();
        var survey = await IntakeSurveys.FindAsync(services, cache, workspaceId, input.SurveyId!.Value, ct) ?? throw new NotFoundException("survey");
        if (survey.IsClosed)
        {
            throw new ConflictException("survey_closed", "The survey is closed and takes no new responses.");
        }

        return new NewResponse
        {
            WorkspaceId = workspaceId,
            SurveyId = survey.Id,
            Score = (short)score!.Value.Value,
            Comment = comment,
            Language = input.Language ?? survey.DefaultLanguage,
            Channel = input.Channel ?? Channels.Api,
            Properties = PropertyBags.Write(properties),
            TeamMember = teamMember,
            Touchpoint = touchpoint,
            RespondedAt = respondedAt ?? now,
            Contact = contact,
        };
    }

    private static ResponseDto ToDto(NewResponse r, WrittenResponse written, ContactInput? contact) => new(
        written.Id, r.SurveyId, r.Score, Core.NpsCategories.Of(r.Score), r.Comment, r.Language, r.Channel, r.Status, r.RespondedAt,
        written.CreatedAt, written.CreatedAt, 1,
        written.ContactId is { } id ? new ContactRef(id, written.ContactEmail ?? r.Contact?.Email ?? contact?.Email, written.ContactName) : null,
        r.InvitationId, r.TeamMember, r.Touchpoint, PropertyBags.Read(written.Properties), null);

    private static IResult Stored(int status, string body, long? id = null)
    {
        var result = Results.Text(body, "application/json", Encoding.UTF8, status);
        return id is null ? result : new WithLocation(result, $"/api/v1/responses/{id}");
    }

    /// <summary>The first answer again, Location included, as the first request got it.</summary>
    private static IResult Replay(int status, string body)
    {
        long? id = null;
        using var document = JsonDocument.Parse(body);
        if (status == StatusCodes.Status201Created && document.RootElement.TryGetProperty("id", out var stored) && stored.TryGetInt64(out var value))
        {
            id = value;
        }

        return Stored(status, body, id);
    }

    private static IResult KeyReused() => throw new UnprocessableException("idempotency_key_reused",
        "This Idempotency-Key was already used with a different request body.");

    private static async Task<IResult> Get(long id, PromoterDb db, CancellationToken ct) =>
        TypedResults.Ok(await LoadAsync(db, id, ct));

    private static async Task<ResponseDto> LoadAsync(PromoterDb db, long id, CancellationToken ct)
    {
        var row = await (from r in db.Responses.AsNoTracking()
                         where r.Id == id
                         join c in db.Contacts on r.ContactId equals c.Id into contacts
                         from c in contacts.DefaultIfEmpty()
                         select new { r, Contact = c == null ? null : new ContactRef(c.Id, c.Email, c.Name) }).SingleOrDefaultAsync(ct)
                  ?? throw new NotFoundException("response");
        return ResponseDto.From(row.r, row.Contact);
    }

    private static async Task<IResult> List(PromoterDb db, TimeProvider clock, Guid? surveyId, string? since, string? until, string? cursor, int? limit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var now = clock.GetUtcNow().UtcDateTime;
        var from = ResponseFields.Time(since, "since", now.AddYears(100), errors);
        var to = ResponseFields.Time(until, "until", now.AddYears(100), errors);
        long after = 0;
        if (cursor is not null && !TryReadCursor(cursor, out after))
        {
            errors.Add("cursor", "Use the nextCursor value of a previous page.");
        }

        if (limit is < 1 or > 500)
        {
            errors.Add("limit", "Use 1 to 500.");
        }

        if (from > to)
        {
            errors.Add("since", "'since' must not be after 'until'.");
        }

        errors.ThrowIfAny();
        var take = limit ?? 100;
        var query = db.Responses.AsNoTracking().Where(r => r.Id > after && r.Status == ResponseStatus.Final);
        if (surveyId is { } s)
        {
            query = query.Where(r => r.SurveyId == s);
        }

        if (from is { } f)
        {
            query = query.Where(r => r.RespondedAt >= f);
        }

        if (to is { } t)
        {
            query = query.Where(r => r.RespondedAt < t);
        }

        var rows = await (from r in query.OrderBy(r => r.Id).Take(take + 1)
                          join c in db.Contacts on r.ContactId equals c.Id into contacts
                          from c in contacts.DefaultIfEmpty()
                          orderby r.Id
                          select new { r, Contact = c == null ? null : new ContactRef(c.Id, c.Email, c.Name) }).ToListAsync(ct);
        var page = rows.Take(take).Select(x => ResponseDto.From(x.r, x.Contact)).ToList();
        var next = rows.Count > take ? WriteCursor(page[^1].Id) : null;
        return TypedResults.Ok(new ResponsePage(page, next));
    }

    private static string WriteCursor(long id) => Convert.ToBase64String(Encoding.ASCII.GetBytes("r:" + id.ToString(CultureInfo.InvariantCulture))).TrimEnd('=');

    private static bool TryReadCursor(string cursor, out long id)
    {
        id = 0;
        try
        {
            var padded = cursor.PadRight(cursor.Length + ((4 - (cursor.Length % 4)) % 4), '=');
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(padded));
            return text.StartsWith("r:", StringComparison.Ordinal) && long.TryParse(text.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out id);
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private sealed class WithLocation(IResult inner, string location) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.Headers.Location = location;
            return inner.ExecuteAsync(httpContext);
        }
    }
}
