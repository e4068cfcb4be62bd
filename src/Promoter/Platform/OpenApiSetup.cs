using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Promoter.Accounts;

namespace Promoter.Platform;

/// <summary>Marks an endpoint that honours the <c>Idempotency-Key</c> request header (documented in OpenAPI).</summary>
public sealed class AcceptsIdempotencyKey
{
    public static AcceptsIdempotencyKey Instance { get; } = new();

    private AcceptsIdempotencyKey() { }
}

/// <summary>
/// The OpenAPI document at <c>/openapi/v1.json</c>: the bearer API-key scheme and a security requirement on every
/// endpoint that needs a key, the one error contract (RFC 9457 problem details with a stable <c>code</c>) on every
/// operation, the <c>Idempotency-Key</c> header where it is honoured, and <c>score</c> as an integer 0..10 even where
/// the body keeps it as raw JSON (so "7" and 7.0 can be refused by name).
/// </summary>
public static class OpenApiSetup
{
    public const string BearerScheme = "bearer";
    public const string ProblemSchema = "Problem";

    public static IHostApplicationBuilder AddPromoterOpenApi(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOpenApi(o =>
        {
            o.AddDocumentTransformer(DescribeDocument);
            o.AddOperationTransformer(DescribeOperation);
            o.AddSchemaTransformer(DescribeScore);
        });
        return builder;
    }

    private static Task DescribeDocument(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken ct)
    {
        document.Info.Title = "Promoter API";
        document.Info.Description =
            "Collect, measure and follow up Net Promoter Score responses. Authenticate with an API key (Settings → API keys, or " +
            "`promoter apikey create`) as `Authorization: Bearer KEY`; each operation needs the scope named in its 403 response. " +
            "Errors are RFC 9457 problem details (`application/problem+json`) with a stable `code` and a `traceId`.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "API key",
            Description = "An API key of the workspace. Basic authentication with the key as the user name also works (Delighted clients).",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem();
        return Task.CompletedTask;
    }

    private static OpenApiSchema Problem()
    {
        static OpenApiSchema Text(string description) => new() { Type = JsonSchemaType.String, Description = description };
        return new OpenApiSchema
        {
            Type = JsonSchemaType.Object,
            Description = "RFC 9457 problem details with Promoter's stable error code.",
            Required = new HashSet<string> { "status", "title", "code" },
            Properties = new Dictionary<string, IOpenApiSchema>
            {
                ["type"] = Text("A URI reference that identifies the problem type."),
                ["title"] = Text("What went wrong, for people."),
                ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Description = "The HTTP status code." },
                ["detail"] = Text("More about this occurrence."),
                ["instance"] = Text("The request the problem is about."),
                ["code"] = Text("Stable, machine-readable: validation_failed, bad_request, unauthorized, forbidden, not_found, conflict, " +
                    "survey_closed, idempotency_in_flight, idempotency_key_reused, payload_too_large, unsupported_media_type, rate_limited, …"),
                ["traceId"] = Text("Quote it when asking for help: it finds the request in the server's logs."),
                ["errors"] = new OpenApiSchema
                {
                    Type = JsonSchemaType.Object,
                    Description = "With validation_failed: each invalid field and its messages.",
                    AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
                },
            },
        };
    }

    private static Task DescribeOperation(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken ct)
    {
        var metadata = context.Description.ActionDescriptor.EndpointMetadata;
        var secured = metadata.OfType<IAuthorizeData>().Any() && !metadata.OfType<IAllowAnonymous>().Any();
        var document = context.Document!;
        if (secured)
        {
            operation.Security ??= [];
            operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] });
        }

        var method = context.Description.HttpMethod ?? "GET";
        var route = context.Description.RelativePath ?? "";
        operation.Responses ??= new OpenApiResponses();
        Add(operation, document, "400", "The request is invalid: `validation_failed` (with `errors` naming each field) or `bad_request`.");
        if (secured)
        {
            Add(operation, document, "401", "No valid API key: `unauthorized`.");
            var scopes = metadata.OfType<RequiredScope>().Select(s => s.Scope).Distinct().ToList();
            Add(operation, document, "403", scopes.Count == 0
                ? "The key may not do this: `forbidden`."
                : $"The key lacks the scope {string.Join(", ", scopes.Select(s => $"`{s}`"))}: `forbidden`.");
        }

        if (route.Contains('{', StringComparison.Ordinal))
        {
            Add(operation, document, "404", "No such resource in the key's workspace: `not_found`.");
        }

        if (method is "POST" or "PUT" or "PATCH" or "DELETE")
        {
            Add(operation, document, "409", "The change conflicts with the current state (e.g. `survey_closed`, `member_exists`, `last_owner`): `conflict` or a more precise code.");
        }

        if (metadata.OfType<AcceptsIdempotencyKey>().Any())
        {
            Add(operation, document, "422", "The Idempotency-Key was already used with a different body: `idempotency_key_reused`.");
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "Idempotency-Key",
                In = ParameterLocation.Header,
                Required = false,
                Description = "Any 1 to 255 printable ASCII characters, unique per logical request. A retry with the same key and body gets the first " +
                    "answer again; the same key with another body is refused (`idempotency_key_reused`, 422); a retry while the first is still " +
                    "running gets `idempotency_in_flight` (409).",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MinLength = 1, MaxLength = 255 },
            });
        }

        return Task.CompletedTask;
    }

    private static void Add(OpenApiOperation operation, OpenApiDocument document, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status))
        {
            return;
        }

        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, OpenApiMediaType>
            {
                ["application/problem+json"] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
            },
        };
    }

    // Bodies keep the score as raw JSON to refuse "7" and 7.0 by name; on the wire it is an integer 0..10.
    private static Task DescribeScore(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken ct)
    {
        if (context.JsonPropertyInfo is { Name: "score" } property && property.PropertyType == typeof(JsonElement))
        {
            schema.Type = JsonSchemaType.Integer;
            schema.Minimum = "0";
            schema.Maximum = "10";
            schema.Description = "How likely the person is to recommend: a whole number from 0 (not at all likely) to 10 (extremely likely).";
            // Named for what it is: without this the component would be called "JsonElement".
            schema.Metadata ??= new Dictionary<string, object>();
            schema.Metadata["x-schema-id"] = "Score";
        }

        return Task.CompletedTask;
    }
}
