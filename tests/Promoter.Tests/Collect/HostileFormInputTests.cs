using System.Net;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Collect;

/// <summary>One server and survey for the whole table; nothing a case sends may be stored.</summary>
public sealed class HostileInputServer : IAsyncLifetime
{
    public FakeTimeProvider Clock { get; } = RespondentKit.NewClock();
    public PromoterTestServer Server { get; private set; } = null!;
    public Guid WorkspaceId { get; private set; }
    public string Url { get; private set; } = "";
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new()
        {
            Clock = Clock,
            Settings = { ["Respondent:PostsPerNetworkPerMinute"] = "10000", ["Respondent:PostsPerSurveyPerMinute"] = "10000" },
        });
        var ws = await Server.CreateWorkspaceAsync("Hostile");
        WorkspaceId = ws.Id;
        using var api = Server.CreateApiClient(ws.ApiKey);
        var survey = RespondentKit.Survey("Hostile");
        var questions = ((object[])survey["questions"]!).ToList();
        questions.Add(new { id = "why7", type = "text", required = true, showTo = new[] { "passive" }, label = new Dictionary<string, string> { ["en"] = "Why not a 9?" } });
        survey["questions"] = questions.ToArray();
        Url = $"/s/{await RespondentKit.CreateSurveyAsync(api, survey)}";
        Client = Server.CreateClient();
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
    }
}

/// <summary>
/// Every field of the survey form, attacked: each rejection is a 4xx page whose message names the field, and
/// nothing is written.
/// </summary>
public sealed class HostileFormInputTests(HostileInputServer host) : IClassFixture<HostileInputServer>
{
    public static TheoryData<string, string[], string> Cases()
    {
        var data = new TheoryData<string, string[], string>();
        foreach (var score in new[] { "7.0", "+7", "07", "٧", "10.5", "", "11", "-1", " 7", "7 ", "1e1", "seven", "true" })
        {
            data.Add($"score={score}", ["score", score], "score");
        }

        data.Add("score repeated", ["score", "7", "score", "8"], "score");
        data.Add("score missing", ["comment", "hello"], "score");
        data.Add("comment too long", ["score", "3", "comment", new string('a', 5_001)], "comment");
        data.Add("comment over 20 KB of UTF-8 in Thai", ["score", "3", "comment", string.Concat(Enumerable.Repeat("กิ", 3_400))], "comment");
        data.Add("comment repeated", ["score", "3", "comment", "one", "comment", "two"], "comment");
        data.Add("text answer too long", ["score", "3", "q.fix", new string('x', 1_001)], "q.fix");
        data.Add("text answer repeated", ["score", "3", "q.fix", "a", "q.fix", "b"], "q.fix");
        foreach (var value in new[] { "6", "0", "3.0", "03", "٣", "-2", "x" })
        {
            data.Add($"scale answer {value}", ["score", "9", "q.ease", value], "q.ease");
        }

        data.Add("scale answer repeated", ["score", "9", "q.ease", "2", "q.ease", "3"], "q.ease");
        data.Add("unknown single choice", ["score", "9", "q.channel", "fax"], "q.channel");
        data.Add("two single choices", ["score", "9", "q.channel", "phone", "q.channel", "chat"], "q.channel");
        data.Add("unknown multiple choice", ["score", "9", "q.liked", "price", "q.liked", "cheap"], "q.liked");
        data.Add("duplicate multiple choice", ["score", "9", "q.liked", "price", "q.liked", "price"], "q.liked");
        data.Add("unknown question", ["score", "9", "q.salary", "lots"], "q.salary");
        data.Add("required question left empty", ["score", "7", "q.why7", "  "], "q.why7");
        data.Add("unknown step", ["score", "9", "step", "finish"], "step");
        data.Add("repeated step", ["score", "9", "step", "score", "step", "submit"], "step");
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Hostile_field_values_are_refused_by_name_and_write_nothing(string name, string[] pairs, string field)
    {
        Assert.NotEmpty(name);
        var (_, ticket) = await RespondentKit.OpenAsync(host.Client, host.Url);
        host.Clock.Advance(TimeSpan.FromSeconds(5));
        var fields = new List<(string, string)> { ("t", ticket) };
        for (var i = 0; i < pairs.Length; i += 2)
        {
            fields.Add((pairs[i], pairs[i + 1]));
        }

        var (status, html) = await RespondentKit.PostAsync(host.Client, host.Url, [.. fields]);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains($"data-field=\"{field}\"", html, StringComparison.Ordinal);
        Assert.Contains("role=\"alert\"", html, StringComparison.Ordinal);
        Assert.Empty(await RespondentKit.ResponsesAsync(host.Server, host.WorkspaceId));
    }

    [Fact]
    public async Task A_body_over_64_KB_is_a_413_page_and_writes_nothing()
    {
        var (_, ticket) = await RespondentKit.OpenAsync(host.Client, host.Url);
        host.Clock.Advance(TimeSpan.FromSeconds(5));
        var body = $"t={Uri.EscapeDataString(ticket)}&score=9&comment={new string('a', 70_000)}";

        using var response = await host.Client.PostAsync(host.Url, new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded"));
        var html = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, html);
        Assert.Contains("data-field=\"body\"", html, StringComparison.Ordinal);
        Assert.Contains("Your answer is too long to send.", html, StringComparison.Ordinal);
        Assert.Empty(await RespondentKit.ResponsesAsync(host.Server, host.WorkspaceId));
    }

    [Fact]
    public async Task A_body_that_is_not_a_form_is_refused()
    {
        using var response = await host.Client.PostAsync(host.Url, new StringContent("{\"score\":9}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-field=\"body\"", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await RespondentKit.ResponsesAsync(host.Server, host.WorkspaceId));
    }
}
