using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Promoter.Cli;
using Promoter.Data;
using Promoter.Tests.Contacts;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Cli;

/// <summary><c>promoter send</c> through the real executable, against the database the server uses.</summary>
public sealed class SendCommandTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task The_cli_sends_to_the_filtered_contacts_reports_what_it_did_and_refuses_bad_arguments_without_writing(DatabaseProvider provider)
    {
        // The server's own workers stay off: everything here is the CLI's work.
        await using var server = await PromoterTestServer.StartAsync(provider, new()
        {
            Settings = new() { ["BatchSends:Enabled"] = "false", ["Email:DispatchEnabled"] = "false", ["Distribution:RecurringEnabled"] = "false" },
        });
        var (ws, api, survey) = await BatchSendTests.SeedAsync(server, 12); // even people speak Swedish
        (await api.PostAsJsonAsync("/api/v1/unsubscribes", new { email = "person0002@example.com" })).EnsureSuccessStatusCode();
        var env = new Dictionary<string, string>
        {
            ["Database__Provider"] = provider.ToString(),
            ["Database__ConnectionString"] = server.ConnectionString,
            ["BatchSends__ChunkSize"] = "4", // six people: two chunks
        };

        var sent = await PromoterProcess.RunAsync(["send", "--survey", survey, "--workspace", ws.ToString(), "--filter", "locale=sv", "--name", "Swedish <b>customers</b>"], environment: env);

        Assert.True(sent.ExitCode == ExitCodes.Ok, sent.Stderr);
        var id = Guid.Parse(Regex.Match(sent.Stdout, @"Batch send ([0-9a-f-]{36}): 6 contacts\.").Groups[1].Value);
        Assert.Contains("Queued 5 invitations, 1 recorded as throttled or suppressed", sent.Stdout, StringComparison.Ordinal);
        var progress = await api.GetFromJsonAsync<JsonElement>($"/api/v1/batch-sends/{id}");
        Assert.Equal(("done", 5, 1, "Swedish <b>customers</b>"),
            (progress.GetProperty("status").GetString(), progress.GetProperty("queued").GetInt32(), progress.GetProperty("skipped").GetInt32(), progress.GetProperty("name").GetString()));
        var invitations = await api.GetFromJsonAsync<JsonElement>($"/api/v1/invitations?sendId={id}&limit=100");
        Assert.Equal(6, invitations.GetProperty("items").GetArrayLength());

        foreach (var (args, exitCode, says) in new (string[] Args, int ExitCode, string Says)[]
                 {
                     (["--survey", "not-a-guid", "--workspace", ws.ToString()], ExitCodes.Usage, "--survey"),
                     (["--survey", survey, "--workspace", ws.ToString(), "--filter", "plan=gold"], ExitCodes.Usage, "--filter"),
                     (["--survey", survey, "--workspace", ws.ToString(), "--filter", "locale=sv&createdFrom=yesterday"], ExitCodes.Usage, "createdFrom"),
                     (["--survey", Guid.NewGuid().ToString(), "--workspace", ws.ToString()], ExitCodes.Failed, "survey"),
                     (["--survey", survey, "--workspace", "no such workspace"], ExitCodes.Failed, "no such workspace"),
                     (["--workspace", ws.ToString()], ExitCodes.Usage, "--survey"),
                 })
        {
            var refused = await PromoterProcess.RunAsync(["send", .. args], environment: env);
            Assert.True(refused.ExitCode == exitCode, $"{string.Join(' ', args)}: exit {refused.ExitCode}, {refused.Stderr}");
            Assert.Contains(says, refused.Stderr, StringComparison.Ordinal);
            Assert.Empty(refused.Stdout.Trim());
        }

        Assert.Single((await api.GetFromJsonAsync<JsonElement>("/api/v1/batch-sends")).EnumerateArray());
    }
}
