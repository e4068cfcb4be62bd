using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Collect;

/// <summary>Builders for respondent tests: a survey through the API, a contact and invitation in the database, the page's form fields.</summary>
public static partial class RespondentKit
{
    public static FakeTimeProvider NewClock() => new(TimeProvider.System.GetUtcNow());

    /// <summary>A survey in all five languages with one question per kind, the detractor ones only for detractors.</summary>
    public static Dictionary<string, object?> Survey(string name = "Respondent survey") => new()
    {
        ["name"] = name,
        ["brandName"] = "Acme",
        ["languages"] = new[] { "en", "ar", "mk", "sv", "th" },
        ["defaultLanguage"] = "en",
        ["primaryColor"] = "#0b6e4f",
        ["editWindowDays"] = 7,
        ["thankYouLinks"] = new Dictionary<string, string> { ["promoter"] = "https://reviews.example/acme" },
        ["questions"] = new object[]
        {
            new { id = "fix", type = "text", label = Texts("What should we fix first?", "ما الذي يجب أن نصلحه أولًا؟", "เราควรแก้ไขเรื่องใดก่อน"), showTo = new[] { "detractor" } },
            new { id = "ease", type = "scale", scaleMin = 1, scaleMax = 5, label = Texts("How easy was it?", "ما مدى سهولة ذلك؟", "ง่ายเพียงใด") },
            new
            {
                id = "channel", type = "singleChoice", label = Texts("How did you contact us?", "كيف تواصلت معنا؟", "คุณติดต่อเราทางช่องทางใด"),
                options = new[] { Option("phone", Texts("Phone", "الهاتف", "โทรศัพท์")), Option("chat", Texts("Chat", "الدردشة", "แชต")) },
            },
            new
            {
                id = "liked", type = "multipleChoice", label = Texts("What did you like?", "ما الذي أعجبك؟", "คุณชอบอะไรบ้าง"),
                options = new[] { Option("price", Texts("Price", "السعر", "ราคา")), Option("speed", Texts("Speed", "السرعة", "ความรวดเร็ว")), Option("staff", Texts("Staff", "الموظفون", "พนักงาน")) },
            },
        },
    };

    // English, Arabic and Thai wording; Macedonian and Swedish pages fall back to English, the survey's default.
    private static Dictionary<string, string> Texts(string en, string ar, string th) => new() { ["en"] = en, ["ar"] = ar, ["th"] = th };

    private static object Option(string id, Dictionary<string, string> label) => new { id, label };

    public static async Task<Guid> CreateSurveyAsync(HttpClient api, Dictionary<string, object?>? body = null)
    {
        using var response = await api.PostAsJsonAsync("/api/v1/surveys", body ?? Survey());
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("id").GetGuid();
    }

    public sealed record SeededInvitation(Guid Id, Guid ContactId, string Token);

    /// <summary>A contact and an invitation to <paramref name="surveyId"/>, sent at <paramref name="sentAt"/>.</summary>
    public static async Task<SeededInvitation> CreateInvitationAsync(PromoterTestServer server, Guid workspaceId, Guid surveyId,
        DateTime? sentAt, string? locale = null, string channel = "email")
    {
        var now = (server.Clock ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(18)).Replace('+', '-').Replace('/', '_');
        var email = $"person-{Guid.NewGuid():N}@example.com";
        return await server.InWorkspaceAsync(workspaceId, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var contact = new Contact
            {
                Id = Guid.CreateVersion7(), Email = email, EmailKey = email, Name = "Pat Person", Locale = locale,
                Properties = "{\"plan\":\"pro\"}", CreatedAt = now, UpdatedAt = now,
            };
            var invitation = new Invitation
            {
                Id = Guid.CreateVersion7(), SurveyId = surveyId, ContactId = contact.Id, Token = token, Status = InvitationStatus.Sent, Channel = channel,
                Properties = "{\"plan\":\"pro\",\"order\":\"A-1001\"}", TeamMember = "Dana", Touchpoint = "delivery",
                CreatedAt = now, ScheduledAt = now, SentAt = sentAt,
            };
            db.AddRange(contact, invitation);
            await db.SaveChangesAsync();
            return new SeededInvitation(invitation.Id, contact.Id, token);
        });
    }

    public static Task<T> QueryAsync<T>(PromoterTestServer server, Guid workspaceId, Func<PromoterDb, Task<T>> query) =>
        server.InWorkspaceAsync(workspaceId, sp => query(sp.GetRequiredService<PromoterDb>()));

    public static Task<List<SurveyResponse>> ResponsesAsync(PromoterTestServer server, Guid workspaceId) =>
        QueryAsync(server, workspaceId, db => db.Responses.AsNoTracking().OrderBy(r => r.Id).ToListAsync());

    public static string Ticket(string html) =>
        TicketPattern().Match(html) is { Success: true } m ? System.Net.WebUtility.HtmlDecode(m.Groups[1].Value) : throw new InvalidOperationException("No ticket in the page:\n" + html);

    /// <summary>The form fields of a post, with repeatable keys.</summary>
    public static FormUrlEncodedContent Form(params (string Key, string Value)[] fields) =>
        new(fields.Select(f => new KeyValuePair<string, string>(f.Key, f.Value)));

    /// <summary>GETs a survey page and returns it with its ticket.</summary>
    public static async Task<(string Html, string Ticket)> OpenAsync(HttpClient client, string url)
    {
        using var response = await client.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {url}: {(int)response.StatusCode}\n{html}");
        return (html, Ticket(html));
    }

    public static async Task<(System.Net.HttpStatusCode Status, string Html)> PostAsync(HttpClient client, string url, params (string Key, string Value)[] fields)
    {
        using var response = await client.PostAsync(url, Form(fields));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [GeneratedRegex("name=\"t\" value=\"([^\"]+)\"")]
    private static partial Regex TicketPattern();
}
