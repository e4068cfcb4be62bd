using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Promoter.Platform;

namespace Promoter.Bench;

/// <summary>
/// The dashboard pages as a signed-in user gets them: the real server on the bench's database, pages requested over
/// loopback HTTP, timed from request to the last byte of HTML (so rendering and every query are inside the figure).
/// </summary>
internal static partial class PageTimings
{
    public sealed record Page(string Name, string Path);

    public sealed record Timing(string Name, double MedianMs, double P95Ms, int Bytes);

    public static async Task<IReadOnlyList<Timing>> MeasureAsync(string connectionString, IReadOnlyList<Page> pages, int iterations, CancellationToken ct)
    {
        var builder = Promoter.Program.CreateServerBuilder(["--urls=http://127.0.0.1:0"]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = connectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Webhooks:DispatchEnabled"] = "false",
            ["Email:DispatchEnabled"] = "false",
        });
        await using var app = Promoter.Program.BuildServer(builder);
        await ServerStartup.PrepareAsync(app, ct);
        await app.StartAsync(ct);
        var address = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        using var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = address };
        var cookies = await SignInAsync(client, ct);

        var timings = new List<Timing>();
        foreach (var page in pages)
        {
            var samples = new List<double>();
            var bytes = 0;
            for (var i = 0; i < iterations + 3; i++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, page.Path);
                request.Headers.Add("Cookie", cookies);
                var watch = Stopwatch.StartNew();
                using var response = await client.SendAsync(request, ct);
                var html = await response.Content.ReadAsByteArrayAsync(ct);
                watch.Stop();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{page.Path} answered {(int)response.StatusCode}.");
                }

                bytes = html.Length;
                if (i >= 3)
                {
                    samples.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            samples.Sort();
            timings.Add(new Timing(page.Name, samples[samples.Count / 2], samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(samples.Count * 0.95) - 1)], bytes));
        }

        await app.StopAsync(ct);
        return timings;
    }

    private static async Task<string> SignInAsync(HttpClient client, CancellationToken ct)
    {
        using var form = await client.GetAsync("/login", ct);
        var html = await form.Content.ReadAsStringAsync(ct);
        var token = Antiforgery().Match(html).Groups[1].Value;
        var cookies = Cookies(form);
        using var post = new HttpRequestMessage(HttpMethod.Post, "/login")
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Email"] = BenchDatabase.OwnerEmail, ["Password"] = BenchDatabase.OwnerPassword, ["__RequestVerificationToken"] = token,
            }),
        };
        post.Headers.Add("Cookie", cookies);
        using var signedIn = await client.SendAsync(post, ct);
        if (signedIn.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Signing in for the page timings failed with {(int)signedIn.StatusCode}.");
        }

        return cookies + "; " + Cookies(signedIn);
    }

    // Secure (__Host-) cookies are sent back by hand: HttpClient's cookie container would withhold them over plain loopback http.
    private static string Cookies(HttpResponseMessage response) =>
        string.Join("; ", response.Headers.TryGetValues("Set-Cookie", out var values) ? values.Select(v => v.Split(';')[0]) : []);

    public static string Describe(IEnumerable<Timing> timings) =>
        string.Join("\n", timings.Select(t => string.Create(CultureInfo.InvariantCulture, $"  page {t.Name,-28} median {t.MedianMs,7:0.00} ms  p95 {t.P95Ms,7:0.00} ms  {t.Bytes / 1024.0,6:0.0} KB")));

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex Antiforgery();
}
