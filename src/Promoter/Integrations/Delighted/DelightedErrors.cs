using System.Text.Json.Nodes;
using Promoter.Platform;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// Delighted's error body, <c>{"status":422,"message":"Unprocessable Entity","errors":{"field":["…"]}}</c>: the official
/// clients turn the status into an error type and keep the body as the message, so the shape matters more than the words.
/// </summary>
public static class DelightedErrors
{
    public static IResult Write(int status, IReadOnlyDictionary<string, string[]>? errors = null)
    {
        var body = new JsonObject
        {
            ["status"] = status,
            ["message"] = ReasonOf(status),
        };
        if (errors is not null)
        {
            var fields = new JsonObject();
            foreach (var (field, messages) in errors)
            {
                fields[field] = new JsonArray([.. messages.Select(m => (JsonNode?)JsonValue.Create(m))]);
            }

            body["errors"] = fields;
        }

        return DelightedJson.Result(body, status);
    }

    public static IResult Invalid(string field, string message) => Write(StatusCodes.Status422UnprocessableEntity, new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>
    /// Promoter's domain errors in Delighted's shape. Bad input is 422 (Delighted has no 400); a conflict such as a
    /// closed survey is also a validation error to a Delighted client.
    /// </summary>
    public static IResult? FromException(Exception exception) => exception switch
    {
        RequestValidationException v => Write(StatusCodes.Status422UnprocessableEntity, v.Errors),
        NotFoundException => Write(StatusCodes.Status404NotFound),
        FieldConflictException f => Write(StatusCodes.Status422UnprocessableEntity, new Dictionary<string, string[]> { [f.Field] = [f.Message] }),
        ForbiddenException => Write(StatusCodes.Status403Forbidden),
        DomainException { StatusCode: StatusCodes.Status409Conflict or StatusCodes.Status422UnprocessableEntity } d =>
            Write(StatusCodes.Status422UnprocessableEntity, new Dictionary<string, string[]> { ["base"] = [d.Message] }),
        DomainException d => Write(d.StatusCode),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Write(StatusCodes.Status413PayloadTooLarge),
        BadHttpRequestException b => Write(StatusCodes.Status422UnprocessableEntity, new Dictionary<string, string[]> { ["base"] = [b.Message] }),
        _ => null,
    };

    public static string ReasonOf(int status) => status switch
    {
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        406 => "Not Acceptable",
        413 => "Payload Too Large",
        422 => "Unprocessable Entity",
        429 => "Too Many Requests",
        503 => "Service Unavailable",
        _ => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status),
    };
}
