using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Promoter.Cli;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Cli;

/// <summary>The operator verbs through the real executable, configured by environment variables as in production.</summary>
public sealed class OperatorCommandTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Workspace_and_api_key_created_by_the_cli_work_against_the_server(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var env = new Dictionary<string, string>
        {
            ["Database__Provider"] = provider.ToString(),
            ["Database__ConnectionString"] = server.ConnectionString,
        };

        var created = await PromoterProcess.RunAsync(
            ["workspace", "create", "--name", "Acme CLI", "--owner-email", "ops@example.com", "--owner-password", "operator-pass-1"], environment: env);
        Assert.True(created.ExitCode == 0, created.Stderr);
        var workspaceId = Guid.Parse(created.Stdout.Trim());

        var key = await PromoterProcess.RunAsync(["apikey", "create", "--workspace", "Acme CLI", "--scopes", "workspace:read", "members:read"], environment: env);
        Assert.True(key.ExitCode == 0, key.Stderr);
        var plain = key.Stdout.TrimEnd().Split('\n')[^1].Trim();
        Assert.StartsWith("prm_", plain, StringComparison.Ordinal);

        using var api = server.CreateApiClient(plain);
        var workspace = await api.GetFromJsonAsync<JsonElement>("/api/v1/workspace");
        Assert.Equal(workspaceId.ToString(), workspace.GetProperty("id").GetString());
        Assert.Equal(HttpStatusCode.Forbidden, (await api.GetAsync("/api/v1/api-keys")).StatusCode);

        var user = await PromoterProcess.RunAsync(
            ["user", "create", "--workspace", workspaceId.ToString(), "--email", "viewer@example.com", "--password", "viewer-pass-12", "--role", "viewer"], environment: env);
        Assert.True(user.ExitCode == 0, user.Stderr);
        var viewer = await server.SignInAsync("viewer@example.com", "viewer-pass-12");
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/v1/workspace")).StatusCode);

        var duplicate = await PromoterProcess.RunAsync(
            ["workspace", "create", "--name", "Acme CLI", "--owner-email", "ops@example.com", "--owner-password", "operator-pass-1"], environment: env);
        Assert.Equal(ExitCodes.Failed, duplicate.ExitCode);
        Assert.Contains("already exists", duplicate.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_errors_are_one_clear_line_with_the_documented_exit_codes()
    {
        var directory = Directory.CreateTempSubdirectory("promoter-cli-").FullName;
        try
        {
            var env = new Dictionary<string, string> { ["Database__ConnectionString"] = $"Data Source={Path.Combine(directory, "p.db")}" };
            var missing = await PromoterProcess.RunAsync(["apikey", "create"], environment: env);
            Assert.Equal(ExitCodes.Usage, missing.ExitCode);
            Assert.Contains("--workspace", missing.Stderr, StringComparison.Ordinal);

            var unknown = await PromoterProcess.RunAsync(["apikey", "create", "--workspace", "nope"], environment: env);
            Assert.Equal(ExitCodes.Failed, unknown.ExitCode);
            Assert.Contains("No workspace named", unknown.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", unknown.Stderr, StringComparison.Ordinal);

            var weak = await PromoterProcess.RunAsync(["workspace", "create", "--name", "W", "--owner-email", "not-an-email", "--owner-password", "short"], environment: env);
            Assert.Equal(ExitCodes.Failed, weak.ExitCode);
            Assert.Contains("ownerEmail", weak.Stderr, StringComparison.Ordinal);
            Assert.Contains("ownerPassword", weak.Stderr, StringComparison.Ordinal);

            var migrate = await PromoterProcess.RunAsync(["migrate"], environment: env);
            Assert.Equal(0, migrate.ExitCode);
            var check = await PromoterProcess.RunAsync(["migrate", "--check"], environment: env);
            Assert.Equal(0, check.ExitCode);

            foreach (var verb in new[] { "serve", "migrate", "workspace", "user", "apikey", "nps", "compare" })
            {
                var help = await PromoterProcess.RunAsync([verb, "--help"], environment: env);
                Assert.True(help.ExitCode == 0, $"{verb} --help: {help.Stderr}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
