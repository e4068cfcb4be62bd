using System.Net.Http.Json;
using System.Text.Json;
using Promoter.Data;
using Promoter.Demo;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Demo;

public sealed class DemoTests
{
    [Fact]
    public async Task The_demo_seeds_a_populated_workspace_once()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var env = new Dictionary<string, string> { ["Database__Provider"] = "Sqlite", ["Database__ConnectionString"] = server.ConnectionString };
        var first = await PromoterProcess.RunAsync(["demo"], environment: env);
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Contains("Created the demo workspace", first.Stdout, StringComparison.Ordinal);
        var second = await PromoterProcess.RunAsync(["demo"], environment: env);
        Assert.Contains("already present", second.Stdout, StringComparison.Ordinal);

        using var owner = await server.SignInAsync(DemoSeeder.OwnerEmail, DemoSeeder.OwnerPassword);
        var surveys = await owner.GetFromJsonAsync<JsonElement>("/api/v1/surveys");
        Assert.Equal(2, surveys.GetArrayLength());
        long total = 0;
        foreach (var survey in surveys.EnumerateArray())
        {
            var nps = await owner.GetFromJsonAsync<JsonElement>($"/api/v1/surveys/{survey.GetProperty("id").GetString()}/nps");
            total += nps.GetProperty("summary").GetProperty("n").GetInt64();
        }

        Assert.Equal(DemoSeeder.Responses, total);
        var dashboard = await owner.GetStringAsync("/");
        Assert.Contains("Team leaderboard", dashboard, StringComparison.Ordinal);
    }
}
