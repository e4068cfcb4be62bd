using System.Text.RegularExpressions;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Integrations.Delighted;

/// <summary>Cursor links as the official clients need them: absolute, explicit port, filters kept, base64url cursor.</summary>
public sealed partial class DelightedPagingTests
{
    [Fact]
    public async Task Link_next_is_absolute_keeps_the_filters_and_ends_on_the_last_page()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Paging");
        using var client = DelightedHttp.Client(server, ws.ApiKey);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(201, (await DelightedHttp.PostAsync(client, "/v1/people", new { email = $"p{i}@example.com", send = false })).Status);
        }

        var seen = new List<string>();
        var url = "/v1/people.json?per_page=2&since=0";
        var pages = 0;
        while (url is not null)
        {
            var (status, body, response) = await DelightedHttp.SendAsync(client, HttpMethod.Get, url);
            Assert.Equal(200, status);
            seen.AddRange(body!.AsArray().Select(p => p!["email"]!.GetValue<string>()));
            pages++;
            url = null;
            if (response.Headers.TryGetValues("Link", out var links))
            {
                var match = LinkPattern().Match(links.Single());
                Assert.True(match.Success, links.Single());
                var next = new Uri(match.Groups["url"].Value);
                Assert.Equal(server.BaseAddress.Port, next.Port);
                Assert.Contains($"http://127.0.0.1:{server.BaseAddress.Port}/v1/people.json?", match.Groups["url"].Value, StringComparison.Ordinal);
                Assert.Contains("per_page=2", next.Query, StringComparison.Ordinal);
                Assert.Contains("since=0", next.Query, StringComparison.Ordinal);
                Assert.Matches("page_info=[A-Za-z0-9_-]+$", next.Query);
                url = next.PathAndQuery;
            }
        }

        Assert.Equal(2, pages);
        Assert.Equal(["p0@example.com", "p1@example.com", "p2@example.com"], seen);
    }

    [Fact]
    public async Task Behind_a_proxy_the_link_uses_the_public_url_with_an_explicit_port()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new PromoterTestServer.Options
        {
            Settings = { ["Promoter:PublicUrl"] = "https://nps.example.com" },
        });
        var ws = await server.CreateWorkspaceAsync("Proxy");
        using var client = DelightedHttp.Client(server, ws.ApiKey);
        await DelightedHttp.PostAsync(client, "/v1/people", new { email = "a@example.com", send = false });
        await DelightedHttp.PostAsync(client, "/v1/people", new { email = "b@example.com", send = false });
        var (_, _, response) = await DelightedHttp.SendAsync(client, HttpMethod.Get, "/v1/people?per_page=1");
        Assert.StartsWith("<https://nps.example.com:443/v1/people?per_page=1&page_info=", response.Headers.GetValues("Link").Single(), StringComparison.Ordinal);
    }

    [GeneratedRegex("^<(?<url>[^>]+)>; rel=\"next\"$")]
    private static partial Regex LinkPattern();
}
