using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Promoter.Integrations.Delighted;

/// <summary>Writing and reading JSON the way Delighted's clients expect: ids as strings, times as Unix seconds.</summary>
public static class DelightedJson
{
    public const int MaxBodyBytes = 64 * 1024;

    public static IResult Result(JsonNode body, int status = StatusCodes.Status200OK) =>
        Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8, status);

    public static IResult Ok() => Result(new JsonObject { ["ok"] = true });

    public static long Unix(DateTime utc) => new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeSeconds();

    public static JsonNode? Unix(DateTime? utc) => utc is { } t ? JsonValue.Create(Unix(t)) : null;

    public static DateTime FromUnix(long seconds) => DateTime.UnixEpoch.AddSeconds(seconds);

    /// <summary>
    /// The request body as a JSON object. An empty body is an empty object (Python's client sends none on some calls);
    /// anything but an object is a 422 naming the body.
    /// </summary>
    public static async Task<JsonObject> ReadObjectAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, ct)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBodyBytes)
            {
                throw new BadHttpRequestException("The request body is too large.", StatusCodes.Status413PayloadTooLarge);
            }
        }

        if (buffer.Length == 0)
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(buffer.ToArray(), documentOptions: new JsonDocumentOptions { MaxDepth = 16 }) as JsonObject
                   ?? throw Platform.RequestValidationException.For("body", "Send a JSON object.");
        }
        catch (JsonException)
        {
            throw Platform.RequestValidationException.For("body", "The body is not valid JSON.");
        }
    }
}
