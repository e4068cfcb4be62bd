using System.Diagnostics;
using System.Text.Json;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Platform;

/// <summary>The OpenAPI document describes the API well enough to generate a client from it (issue 14, point 12).</summary>
public sealed class OpenApiDocumentTests : IAsyncLifetime
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];
    private PromoterTestServer _server = null!;
    private string _json = "";

    public async Task InitializeAsync()
    {
        _server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        using var client = _server.CreateClient();
        _json = await client.GetStringAsync("/openapi/v1.json");
    }

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public void Every_operation_has_a_summary_a_problem_response_and_a_security_requirement()
    {
        var document = JsonDocument.Parse(_json).RootElement;
        var bearer = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("bearer");
        Assert.Equal("http", bearer.GetProperty("type").GetString());
        Assert.Equal("bearer", bearer.GetProperty("scheme").GetString());

        var problems = new List<string>();
        var operations = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => Methods.Contains(o.Name)))
            {
                operations++;
                var name = $"{operation.Name.ToUpperInvariant()} {path.Name}";
                var op = operation.Value;
                if (!op.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
                {
                    problems.Add(name + ": no summary");
                }

                var errors = op.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('4')).ToList();
                if (errors.Count == 0)
                {
                    problems.Add(name + ": no 4xx response");
                }
                else if (!errors.All(r => r.Value.TryGetProperty("content", out var c) && c.TryGetProperty("application/problem+json", out _)))
                {
                    problems.Add(name + ": a 4xx response is not problem details");
                }

                // Everything documented under /api needs a key; public endpoints (survey pages, widget) are not in the document.
                var secured = op.TryGetProperty("security", out var security)
                    && security.EnumerateArray().Any(r => r.TryGetProperty("bearer", out _));
                if (!secured && path.Name.StartsWith("/api/", StringComparison.Ordinal))
                {
                    problems.Add(name + ": no bearer security requirement");
                }

                if (secured && !op.GetProperty("responses").TryGetProperty("401", out _))
                {
                    problems.Add(name + ": secured but no 401 response");
                }
            }
        }

        Assert.True(operations >= 60, $"only {operations} operations");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void The_response_intake_documents_its_idempotency_key_and_an_integer_score()
    {
        var document = JsonDocument.Parse(_json).RootElement;
        var post = document.GetProperty("paths").GetProperty("/api/v1/responses").GetProperty("post");
        var header = post.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.Equal("header", header.GetProperty("in").GetString());
        Assert.Contains("idempotency_key_reused", header.GetProperty("description").GetString(), StringComparison.Ordinal);

        var schemas = document.GetProperty("components").GetProperty("schemas");
        var score = schemas.GetProperty("ResponseInput").GetProperty("properties").GetProperty("score");
        if (score.TryGetProperty("$ref", out var reference))
        {
            score = schemas.GetProperty(reference.GetString()!["#/components/schemas/".Length..]);
        }

        Assert.False(schemas.TryGetProperty("JsonElement", out _), "raw JSON leaks into the document as a schema");
        Assert.Equal("integer", score.GetProperty("type").ValueKind == JsonValueKind.Array
            ? score.GetProperty("type").EnumerateArray().First(t => t.GetString() != "null").GetString()
            : score.GetProperty("type").GetString());
        Assert.Equal(0, score.GetProperty("minimum").GetInt32());
        Assert.Equal(10, score.GetProperty("maximum").GetInt32());
    }

    [Fact]
    [Trait("Category", "Node")]
    public async Task A_typescript_client_generated_from_the_document_compiles()
    {
        var directory = Directory.CreateTempSubdirectory("promoter-openapi-").FullName;
        try
        {
            var spec = Path.Combine(directory, "openapi.json");
            await File.WriteAllTextAsync(spec, _json);
            var types = Path.Combine(directory, "api.d.ts");
            await RunNodeAsync(NodeTools.Path("node_modules", "openapi-typescript", "bin", "cli.js"), spec, "--output", types);

            // A client written against the generated types: it must type-check, and the score must be a number.
            await File.WriteAllTextAsync(Path.Combine(directory, "client.ts"), """
                import type { components, paths } from "./api";

                type NewResponse = components["schemas"]["ResponseInput"];
                type Problem = components["schemas"]["Problem"];
                type IntakeHeaders = NonNullable<paths["/api/v1/responses"]["post"]["parameters"]["header"]>;

                const answer: NewResponse = { surveyId: "00000000-0000-0000-0000-000000000001", score: 9, comment: "Fast delivery" };
                // @ts-expect-error the score is an integer, never a string
                const wrong: NewResponse = { surveyId: "00000000-0000-0000-0000-000000000001", score: "9" };
                const headers: IntakeHeaders = { "Idempotency-Key": "order-1234" };

                export async function send(base: string, key: string): Promise<Problem | null> {
                  const response = await fetch(base + "/api/v1/responses", {
                    method: "POST",
                    headers: { Authorization: "Bearer " + key, "Content-Type": "application/json", ...headers },
                    body: JSON.stringify(answer),
                  });
                  if (response.ok) return null;
                  const problem = (await response.json()) as Problem;
                  return problem.code === "validation_failed" ? problem : problem;
                }

                void wrong;
                """);
            await RunNodeAsync(NodeTools.Path("node_modules", "typescript", "bin", "tsc"),
                "--noEmit", "--strict", "--target", "es2022", "--module", "es2022", "--moduleResolution", "bundler", "--lib", "es2022,dom",
                Path.Combine(directory, "client.ts"));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task RunNodeAsync(params string[] args)
    {
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = NodeTools.Directory };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        Assert.True(process.ExitCode == 0, $"node {string.Join(' ', args)}\n{await stdout}\n{await stderr}");
    }
}
