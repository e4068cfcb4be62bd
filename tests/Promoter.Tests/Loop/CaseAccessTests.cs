using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Loop;

public sealed class CaseAccessTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Agents_see_their_own_and_unassigned_cases_viewers_only_read_and_other_workspaces_see_nothing(DatabaseProvider provider)
    {
        await using var h = await LoopHarness.StartAsync(provider);
        var agent = await h.AddMemberAsync(Role.Agent);
        var colleague = await h.AddMemberAsync(Role.Agent);
        var viewer = await h.AddMemberAsync(Role.Viewer);
        var mine = await h.RespondAsync(2, "Mine", "m@example.com", teamMember: agent.Email);
        var theirs = await h.RespondAsync(2, "Theirs", "t@example.com", teamMember: colleague.Email);
        var nobodys = await h.RespondAsync(2, "Nobody's", "n@example.com");
        await h.ProcessAsync();
        var (mineId, theirsId, nobodysId) = ((await h.CaseOfAsync(mine)).Id, (await h.CaseOfAsync(theirs)).Id, (await h.CaseOfAsync(nobodys)).Id);

        using var asAgent = await h.Server.SignInAsync(agent.Email, agent.Password);
        var visible = await asAgent.GetFromJsonAsync<JsonElement>("/api/v1/cases?owner=any");
        Assert.Equal(new[] { mineId, nobodysId }.Order(), visible.EnumerateArray().Select(c => c.GetProperty("id").GetGuid()).Order());
        using (var read = await asAgent.GetAsync($"/api/v1/cases/{theirsId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, read.StatusCode);
        }

        using (var write = await asAgent.PatchAsJsonAsync($"/api/v1/cases/{theirsId}", new { status = "contacted" }))
        {
            Assert.Equal(HttpStatusCode.NotFound, write.StatusCode);
        }

        using (var take = await asAgent.PatchAsJsonAsync($"/api/v1/cases/{nobodysId}", new { owner = "me" }))
        {
            Assert.Equal(HttpStatusCode.OK, take.StatusCode);
        }

        using (var give = await asAgent.PatchAsJsonAsync($"/api/v1/cases/{mineId}", new { owner = colleague.Id }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, give.StatusCode);
            Assert.True((await give.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("owner", out _));
        }

        using (var page = await asAgent.GetAsync($"/cases/{theirsId}"))
        {
            Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        }

        using var asViewer = await h.Server.SignInAsync(viewer.Email, viewer.Password);
        Assert.Equal(3, (await asViewer.GetFromJsonAsync<JsonElement>("/api/v1/cases?owner=any&status=all")).GetArrayLength());
        using (var write = await asViewer.PatchAsJsonAsync($"/api/v1/cases/{mineId}", new { status = "contacted" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, write.StatusCode);
        }

        using (var note = await asViewer.PostAsJsonAsync($"/api/v1/cases/{mineId}/notes", new { body = "viewer note" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, note.StatusCode);
        }

        var viewerPage = await asViewer.GetStringAsync($"/cases/{mineId}");
        Assert.Contains("Mine", viewerPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Send reply", viewerPage, StringComparison.Ordinal);
        Assert.DoesNotContain("Add note", viewerPage, StringComparison.Ordinal);

        var other = await h.Server.CreateWorkspaceAsync("Other " + Guid.NewGuid().ToString("N")[..6]);
        using var otherApi = h.Server.CreateApiClient(other.ApiKey);
        Assert.Equal(0, (await otherApi.GetFromJsonAsync<JsonElement>("/api/v1/cases?owner=any&status=all")).GetArrayLength());
        foreach (var request in new[]
                 {
                     new HttpRequestMessage(HttpMethod.Get, $"/api/v1/cases/{mineId}"),
                     new HttpRequestMessage(HttpMethod.Patch, $"/api/v1/cases/{mineId}") { Content = JsonContent.Create(new { status = "closed" }) },
                     new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{mineId}/notes") { Content = JsonContent.Create(new { body = "x" }) },
                     new HttpRequestMessage(HttpMethod.Post, $"/api/v1/cases/{mineId}/replies") { Content = JsonContent.Create(new { template = "detractor" }) },
                 })
        {
            using (request)
            using (var response = await otherApi.SendAsync(request))
            {
                Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            }
        }

        Assert.Equal(Promoter.Loop.CaseStatus.New, (await h.CaseOfAsync(mine)).Status);
    }
}
