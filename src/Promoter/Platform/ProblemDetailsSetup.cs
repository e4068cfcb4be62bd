using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Promoter.Data;

namespace Promoter.Platform;

/// <summary>The one error contract: RFC 9457 ProblemDetails with a stable <c>code</c> and a trace id.</summary>
public static class ProblemDetailsSetup
{
    public static IHostApplicationBuilder AddPromoterProblemDetails(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Extensions["traceId"] = Activity.Current?.Id ?? c.HttpContext.TraceIdentifier;
            if (!c.ProblemDetails.Extensions.ContainsKey("code"))
            {
                c.ProblemDetails.Extensions["code"] = CodeForStatus(c.ProblemDetails.Status ?? c.HttpContext.Response.StatusCode);
            }
        });
        builder.Services.AddExceptionHandler<PromoterExceptionHandler>();
        // Binding failures must reach the handler so the response can name the offending field.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }

    public static string CodeForStatus(int status) => status switch
    {
        400 => "bad_request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not_found",
        405 => "method_not_allowed",
        409 => "conflict",
        413 => "payload_too_large",
        415 => "unsupported_media_type",
        422 => "unprocessable",
        429 => "rate_limited",
        _ when status >= 500 => "internal_error",
        _ => "error",
    };
}

internal sealed class PromoterExceptionHandler(IProblemDetailsService problems, ILogger<PromoterExceptionHandler> log) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext http, Exception exception, CancellationToken ct)
    {
        var problem = exception switch
        {
            RequestValidationException v => Validation(v.Errors.ToDictionary(e => e.Key, e => e.Value)),
            FieldConflictException f => FieldProblem(f, f.Field),
            FieldUnprocessableException u => FieldProblem(u, u.Field),
            DomainException d => new ProblemDetails { Status = d.StatusCode, Title = d.Message, Extensions = { ["code"] = d.Code } },
            BadHttpRequestException b => FromBadRequest(b),
            CrossWorkspaceWriteException or WorkspaceNotResolvedException => new ProblemDetails
            {
                Status = StatusCodes.Status404NotFound,
                Title = "The resource does not exist.",
                Extensions = { ["code"] = "not_found" },
            },
            _ => null,
        };

        if (problem is null)
        {
            log.LogError(exception, "Unhandled error on {Method} {Path}", http.Request.Method, http.Request.Path);
            return false;
        }

        http.Response.StatusCode = problem.Status ?? 400;
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = problem, Exception = exception });
    }

    private static ProblemDetails FromBadRequest(BadHttpRequestException b)
    {
        if (b.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return new ProblemDetails { Status = 413, Title = "The request body is too large.", Extensions = { ["code"] = "payload_too_large" } };
        }

        if (b.StatusCode == StatusCodes.Status415UnsupportedMediaType)
        {
            return new ProblemDetails { Status = 415, Title = "Send the body as application/json.", Extensions = { ["code"] = "unsupported_media_type" } };
        }

        // System.Text.Json names the failing member as a JSON path ("$.score"); turn it into the field name.
        if (FindJsonException(b) is { } json)
        {
            var field = FieldFromPath(json.Path);
            var message = field.Length == 0 ? "The body is not valid JSON." : $"'{field}' has the wrong type or format.";
            return Validation(new Dictionary<string, string[]> { [field.Length == 0 ? "body" : field] = [message] });
        }

        var detail = b.Message;
        var name = ParameterName(detail);
        return Validation(new Dictionary<string, string[]> { [name] = [detail] });
    }

    private static JsonException? FindJsonException(Exception e)
    {
        for (var current = e; current is not null; current = current.InnerException)
        {
            if (current is JsonException json)
            {
                return json;
            }
        }

        return null;
    }

    internal static string FieldFromPath(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$")
        {
            return "";
        }

        var field = path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : path.TrimStart('$');
        return field.Replace("['", ".", StringComparison.Ordinal).Replace("']", "", StringComparison.Ordinal).Trim('.');
    }

    // Messages look like: Failed to bind parameter "int score" from "abc".
    private static string ParameterName(string message)
    {
        var start = message.IndexOf('"', StringComparison.Ordinal);
        var end = start < 0 ? -1 : message.IndexOf('"', start + 1);
        if (start < 0 || end < 0)
        {
            return "request";
        }

        var declaration = message[(start + 1)..end];
        var space = declaration.LastIndexOf(' ');
        return space < 0 ? declaration : declaration[(space + 1)..];
    }

    private static ProblemDetails FieldProblem(DomainException e, string field) => new()
    {
        Status = e.StatusCode,
        Title = e.Message,
        Extensions = { ["code"] = e.Code, ["errors"] = new Dictionary<string, string[]> { [field] = [e.Message] } },
    };

    internal static ValidationProblemDetails Validation(IDictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Title = "One or more fields are invalid: " + string.Join(", ", errors.Keys) + ".",
        Extensions = { ["code"] = "validation_failed" },
    };
}
