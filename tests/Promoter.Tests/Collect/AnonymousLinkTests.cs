using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Promoter.Tests.Collect;

/// <summary>The anonymous link <c>/s/{id}</c> over plain HTTP: the no-script two-step flow, its guards and its modes.</summary>
public sealed partial class AnonymousLinkTests(ITestOutputHelper output) : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = RespondentKit.NewClock();
    private PromoterTestServer _server = null!;
    private PromoterTestServer.SeededWorkspace _ws = null!;
    private HttpClient _api = null!;
    private HttpClient _browser = null!;
    private Guid _survey;

    public async Task InitializeAsync()
    {
        _server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new() { Clock = _clock });
        _ws = await _server.CreateWorkspaceAsync("Anonymous links");
        _api = _server.CreateApiClient(_ws.ApiKey);
        _browser = _server.CreateClient();
        _survey = await RespondentKit.CreateSurveyAsync(_api);
    }

    public async Task DisposeAsync()
    {
        _api.Dispose();
        _browser.Dispose();
        await _server.DisposeAsync();
    }

    private string Url => $"/s/{_survey}";

    [Theory]
    [InlineData("en")]
    [InlineData("ar")]
    [InlineData("mk")]
    [InlineData("sv")]
    [InlineData("th")]
    public async Task First_view_is_one_self_contained_response_of_at_most_20_KB(string language)
    {
        using var response = await _browser.GetAsync($"{Url}?lang={language}");
        var bytes = await response.Content.ReadAsByteArrayAsync();
        var html = System.Text.Encoding.UTF8.GetString(bytes);
        // Everything on the wire: status line and headers too, since the budget is what a phone downloads.
        var headers = response.Headers.Concat(response.Content.Headers).Sum(h => h.Key.Length + 4 + string.Join(", ", h.Value).Length) + 17;
        output.WriteLine($"{language}: {bytes.Length} bytes of HTML (inline CSS and script included), about {headers} bytes of headers");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(bytes.Length + headers <= 20 * 1024, $"first view is {bytes.Length} + {headers} bytes");
        // Nothing else to fetch: no style sheet, script, font, frame or image (this survey has no logo).
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotContain("url(", html, StringComparison.Ordinal);
        Assert.DoesNotContain("@import", html, StringComparison.Ordinal);
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        var nonce = Regex.Match(csp, "'nonce-([^']+)'").Groups[1].Value;
        Assert.StartsWith("default-src 'none';", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("base-uri 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("form-action 'self'", csp, StringComparison.Ordinal);
        Assert.Contains($"<style nonce=\"{nonce}\">", html, StringComparison.Ordinal);
        Assert.Contains($"<script nonce=\"{nonce}\">", html, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.Contains("--b:#0b6e4f", html, StringComparison.Ordinal);

        // Each view gets its own nonce and submission ticket.
        var again = await _browser.GetAsync(Url);
        Assert.NotEqual(csp, again.Headers.GetValues("Content-Security-Policy").Single());
    }

    [Fact]
    public async Task Without_script_step_one_records_the_score_and_step_two_completes_the_same_response()
    {
        var (_, ticket) = await RespondentKit.OpenAsync(_browser, Url);
        _clock.Advance(TimeSpan.FromSeconds(3));

        var (status, details) = await RespondentKit.PostAsync(_browser, Url + "?lang=en", ("t", ticket), ("score", "4"), ("step", "score"), ("website", ""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("We&#x27;re sorry to hear that. What could we have done better?", details, StringComparison.Ordinal);
        Assert.Contains("What should we fix first?", details, StringComparison.Ordinal); // the detractor-only question
        var afterScore = Assert.Single(await RespondentKit.ResponsesAsync(_server, _ws.Id));
        Assert.Equal(4, afterScore.Score);
        Assert.Null(afterScore.Comment);

        (status, var thanks) = await RespondentKit.PostAsync(_browser, Url + "?lang=en", ("t", ticket), ("score", "4"), ("step", "submit"),
            ("comment", "Too slow \u202Eevil\u202C delivery"), ("q.fix", "Delivery times"), ("q.ease", "2"), ("q.liked", "staff"), ("q.liked", "price"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Thank you for your honest feedback.", thanks, StringComparison.Ordinal);
        Assert.Contains("<bdi>Too slow evil delivery</bdi>", thanks, StringComparison.Ordinal);

        var response = Assert.Single(await RespondentKit.ResponsesAsync(_server, _ws.Id));
        Assert.Equal(afterScore.Id, response.Id);
        Assert.Equal("Too slow evil delivery", response.Comment); // the bidi override is stripped
        Assert.Equal("{\"fix\":\"Delivery times\",\"ease\":2,\"liked\":[\"price\",\"staff\"]}", response.Answers);
        Assert.Equal(Channels.Link, response.Channel);
        Assert.Equal("en", response.Language);
        Assert.Equal("127.0.0.0/24", response.NetworkPrefix);
        Assert.Equal(ResponseStatus.Final, response.Status);
        Assert.Equal(1, response.Revision); // filling in the "why?" erases nothing, so it is no new revision
        Assert.Null(response.InvitationId);

        var listed = await _api.GetFromJsonAsync<JsonElement>($"/api/v1/responses?surveyId={_survey}");
        Assert.Equal("Too slow evil delivery", Assert.Single(listed.GetProperty("data").EnumerateArray().ToList()).GetProperty("comment").GetString());
    }

    [Fact]
    public async Task Retrying_a_submission_never_creates_a_second_response()
    {
        var (_, ticket) = await RespondentKit.OpenAsync(_browser, Url);
        _clock.Advance(TimeSpan.FromSeconds(5));
        (string, string)[] fields = [("t", ticket), ("score", "9"), ("comment", "Lovely")];

        var attempts = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => RespondentKit.PostAsync(_browser, Url, fields)));
        var again = await RespondentKit.PostAsync(_browser, Url, fields);

        Assert.All(attempts.Append(again), a => Assert.Equal(HttpStatusCode.OK, a.Status));
        var response = Assert.Single(await RespondentKit.ResponsesAsync(_server, _ws.Id));
        Assert.Equal(9, response.Score);
        Assert.Equal(1, response.Revision);

        // A second visit is a second respondent: a new ticket, a new response.
        var (_, second) = await RespondentKit.OpenAsync(_browser, Url);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await RespondentKit.PostAsync(_browser, Url, ("t", second), ("score", "3"));
        Assert.Equal(2, (await RespondentKit.ResponsesAsync(_server, _ws.Id)).Count);
    }

    [Fact]
    public async Task A_filled_honeypot_is_answered_like_any_submission_and_stores_nothing()
    {
        var (_, ticket) = await RespondentKit.OpenAsync(_browser, Url);
        _clock.Advance(TimeSpan.FromSeconds(5));

        var (status, html) = await RespondentKit.PostAsync(_browser, Url, ("t", ticket), ("score", "10"), ("comment", "Buy cheap watches"), ("website", "http://spam.example"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("Thank you! We&#x27;re delighted you&#x27;d recommend Acme.", html, StringComparison.Ordinal);
        Assert.Empty(await RespondentKit.ResponsesAsync(_server, _ws.Id));
    }

    [Fact]
    public async Task A_person_answering_within_a_second_from_a_browser_is_recorded()
    {
        var (_, ticket) = await RespondentKit.OpenAsync(_browser, Url);
        _clock.Advance(TimeSpan.FromMilliseconds(400));

        using var post = new HttpRequestMessage(HttpMethod.Post, Url) { Content = RespondentKit.Form(("t", ticket), ("score", "10")) };
        post.Headers.Add("Origin", _server.BaseAddress.GetLeftPart(UriPartial.Authority));
        post.Headers.Add("User-Agent", "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Mobile Safari/537.36");
        using var response = await _browser.SendAsync(post);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain("That was quick!", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(10, Assert.Single(await RespondentKit.ResponsesAsync(_server, _ws.Id)).Score);
    }

    [Fact]
    public async Task A_scripted_submission_within_two_seconds_of_the_page_gets_the_page_again()
    {
        // No Origin, no browser User-Agent and under two seconds: three weak signals together.
        var (_, ticket) = await RespondentKit.OpenAsync(_browser, Url);
        _clock.Advance(TimeSpan.FromSeconds(1));

        var (status, html) = await RespondentKit.PostAsync(_browser, Url, ("t", ticket), ("score", "8"), ("comment", "Fine"));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("That was quick! Please check your answer and submit again.", html, StringComparison.Ordinal);
        Assert.Contains("value=\"8\" aria-label=\"8\" checked=\"checked\"", html, StringComparison.Ordinal);
        Assert.Contains(">Fine</textarea>", html, StringComparison.Ordinal);
        Assert.Empty(await RespondentKit.ResponsesAsync(_server, _ws.Id));

        // The page keeps its render time, so sending it again a moment later goes through.
        _clock.Advance(TimeSpan.FromSeconds(2));
        (status, _) = await RespondentKit.PostAsync(_browser, Url, ("t", RespondentKit.Ticket(html)), ("score", "8"), ("comment", "Fine"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(await RespondentKit.ResponsesAsync(_server, _ws.Id));
    }

    [Fact]
    public async Task A_ticket_from_another_survey_or_a_forged_one_is_refused()
    {
        var other = await RespondentKit.CreateSurveyAsync(_api, RespondentKit.Survey("Other"));
        var (_, foreign) = await RespondentKit.OpenAsync(_browser, $"/s/{other}");
        _clock.Advance(TimeSpan.FromSeconds(5));

        foreach (var ticket in new[] { foreign, foreign[..^4] + "AAAA", "" })
        {
            var (status, html) = await RespondentKit.PostAsync(_browser, Url, ("t", ticket), ("score", "7"));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Contains("data-field=\"t\"", html, StringComparison.Ordinal);
        }

        Assert.Empty(await RespondentKit.ResponsesAsync(_server, _ws.Id));
    }

    [Fact]
    public async Task A_closed_survey_says_so_and_takes_nothing()
    {
        var (_, ticket) = await RespondentKit.OpenAsync(_browser, Url);
        var closed = RespondentKit.Survey();
        closed["closed"] = true;
        (await _api.PutAsJsonAsync($"/api/v1/surveys/{_survey}", closed)).EnsureSuccessStatusCode();
        _clock.Advance(TimeSpan.FromSeconds(5));

        using var page = await _browser.GetAsync(Url);
        var (status, html) = await RespondentKit.PostAsync(_browser, Url, ("t", ticket), ("score", "7"));

        Assert.Equal(HttpStatusCode.Gone, page.StatusCode);
        Assert.Contains("This survey is closed. Thank you for your interest.", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Contains("This survey is closed.", html, StringComparison.Ordinal);
        Assert.Empty(await RespondentKit.ResponsesAsync(_server, _ws.Id));
    }

    [Theory]
    [InlineData("/s/6a1f8f6e-2a65-4c4f-9d35-1d2b1c0f0e11", "en", "This survey link is not valid or has expired.")]
    [InlineData("/r/AAAAAAAAAAAAAAAAAAAAAAAA", "sv", "Länken till enkäten är ogiltig eller har gått ut.")]
    [InlineData("/r/not-a-token!", "th", "ลิงก์แบบสำรวจนี้ไม่ถูกต้องหรือหมดอายุแล้ว")]
    public async Task Unknown_links_get_a_404_page_in_the_browsers_language(string url, string language, string text)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.AcceptLanguage.ParseAdd(language + ";q=0.9");
        using var response = await _browser.SendAsync(request);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains(text, html, StringComparison.Ordinal);
        Assert.Contains($"<html lang=\"{language}\"", html, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await _browser.PostAsync(url, RespondentKit.Form(("score", "5")))).StatusCode);
    }

    [Fact]
    public async Task Kiosk_mode_keeps_no_network_and_returns_to_a_fresh_survey()
    {
        var kiosk = Url + "?kiosk=1";
        var (_, ticket) = await RespondentKit.OpenAsync(_browser, kiosk);
        _clock.Advance(TimeSpan.FromSeconds(3));

        var (status, html) = await RespondentKit.PostAsync(_browser, kiosk + "&lang=sv", ("t", ticket), ("score", "10"), ("comment", "Personal remark"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"<meta http-equiv=\"refresh\" content=\"8;url=/s/{_survey}?lang=sv&amp;kiosk=1\">", html, StringComparison.Ordinal);
        Assert.Contains("Tack! Om 8 sekunder börjar enkäten om.", html, StringComparison.Ordinal);
        Assert.Contains($"<a class=\"btn\" href=\"/s/{_survey}?lang=sv&amp;kiosk=1\">Börja om</a>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Personal remark", html, StringComparison.Ordinal); // the next person must not see it
        var response = Assert.Single(await RespondentKit.ResponsesAsync(_server, _ws.Id));
        Assert.Equal(Channels.Kiosk, response.Channel);
        Assert.Null(response.NetworkPrefix);
        Assert.Equal("sv", response.Language);
    }

    [Fact]
    public async Task Embed_mode_may_be_framed_only_by_the_surveys_origins_and_counts_as_widget()
    {
        var embedded = RespondentKit.Survey("Embedded");
        embedded["allowedOrigins"] = new[] { "https://shop.example", "https://help.example:8443" };
        var survey = await RespondentKit.CreateSurveyAsync(_api, embedded);

        using var page = await _browser.GetAsync($"/s/{survey}?embed=1");
        using var plain = await _browser.GetAsync($"/s/{survey}");
        var html = await page.Content.ReadAsStringAsync();

        Assert.Contains("frame-ancestors https://shop.example https://help.example:8443;", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", plain.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("data-origins=\"https://shop.example https://help.example:8443\"", html, StringComparison.Ordinal);
        Assert.DoesNotContain("class=\"langs\"", html, StringComparison.Ordinal);

        _clock.Advance(TimeSpan.FromSeconds(3));
        await RespondentKit.PostAsync(_browser, $"/s/{survey}?embed=1", ("t", RespondentKit.Ticket(html)), ("score", "6"));
        Assert.Equal(Channels.Widget, Assert.Single(await RespondentKit.ResponsesAsync(_server, _ws.Id)).Channel);
    }

    [Fact]
    public async Task The_surveys_logo_is_the_only_thing_the_page_may_load()
    {
        var branded = RespondentKit.Survey("Branded");
        branded["logoUrl"] = "https://cdn.example:8443/acme/logo.svg";
        var survey = await RespondentKit.CreateSurveyAsync(_api, branded);

        using var page = await _browser.GetAsync($"/s/{survey}");

        Assert.Contains("img-src https://cdn.example:8443;", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.Contains("<img class=\"logo\" src=\"https://cdn.example:8443/acme/logo.svg\" alt=\"Acme\">", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_anonymous_survey_keeps_no_network_prefix()
    {
        var anonymous = RespondentKit.Survey("Anonymous");
        anonymous["anonymous"] = true;
        var survey = await RespondentKit.CreateSurveyAsync(_api, anonymous);
        var (_, ticket) = await RespondentKit.OpenAsync(_browser, $"/s/{survey}");
        _clock.Advance(TimeSpan.FromSeconds(3));

        await RespondentKit.PostAsync(_browser, $"/s/{survey}", ("t", ticket), ("score", "2"));

        Assert.Null(Assert.Single(await RespondentKit.ResponsesAsync(_server, _ws.Id)).NetworkPrefix);
    }

    [Theory]
    [InlineData("?lang=th", "sv-SE,sv;q=0.9", "th")]
    [InlineData("?lang=de", "mk", "mk")]
    [InlineData("", "fr-FR, ar;q=0.8, sv;q=0.5", "ar")]
    [InlineData("", "fr, de", "en")]
    public async Task The_language_is_the_requested_one_then_the_browsers_then_the_surveys_default(string query, string acceptLanguage, string expected)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Url + query);
        request.Headers.TryAddWithoutValidation("Accept-Language", acceptLanguage);
        var html = await (await _browser.SendAsync(request)).Content.ReadAsStringAsync();

        var direction = expected == "ar" ? "rtl" : "ltr";
        Assert.Contains($"<html lang=\"{expected}\" dir=\"{direction}\">", html, StringComparison.Ordinal);
        Assert.Contains($"action=\"/s/{_survey}?lang={expected}\"", html, StringComparison.Ordinal);
    }

    [GeneratedRegex("<link|<script[^>]+src=|<iframe|<img|@font-face|https?://", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
