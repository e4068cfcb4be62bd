using System.Net;
using System.Net.Sockets;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Accounts;

/// <summary>Failed sign-ins lock an account for the failing network only; the operator's way back is the CLI.</summary>
public sealed class SignInLockoutTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Failures_from_one_network_do_not_lock_the_owner_out_of_another(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var ws = await server.CreateWorkspaceAsync("Lockout " + provider);
        using var attacker = server.CreateClient(new CookieJar(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }));
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 10; i++)
        {
            statuses.Add((await PostLoginAsync(attacker, ws.OwnerEmail, "wrong password " + i)).Status);
        }

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.BadRequest, s));
        var (status, html) = await PostLoginAsync(attacker, ws.OwnerEmail, ws.OwnerPassword);
        // This network must wait, even with the right password (locked out of the account, and over its per-minute limit).
        Assert.Contains(status, new[] { HttpStatusCode.BadRequest, HttpStatusCode.TooManyRequests });
        Assert.Contains("Try again in", html, StringComparison.Ordinal);

        // The owner, on another network (another /24 of the loopback range), still signs in.
        using var owner = FromAddress(server, IPAddress.Parse("127.0.5.1"));
        var (ownerStatus, _) = await PostLoginAsync(owner, ws.OwnerEmail, ws.OwnerPassword);
        Assert.Equal(HttpStatusCode.Redirect, ownerStatus);
    }

    [Fact]
    public async Task Reset_password_sets_a_new_one_clears_the_lockout_and_ends_sessions()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var ws = await server.CreateWorkspaceAsync("Reset");
        var session = await server.SignInAsync(ws.OwnerEmail, ws.OwnerPassword);
        await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var user = await db.Users.SingleAsync(u => u.Email == ws.OwnerEmail);
            user.LockedUntil = sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime.AddMinutes(15); // as after a distributed guess
            await db.SaveChangesAsync();
            return 0;
        });
        var env = new Dictionary<string, string> { ["Database__Provider"] = "Sqlite", ["Database__ConnectionString"] = server.ConnectionString };

        var generated = await PromoterProcess.RunAsync(["user", "reset-password", "--email", ws.OwnerEmail], environment: env);
        Assert.True(generated.ExitCode == 0, generated.Stderr);
        Assert.Contains("lockout is cleared", generated.Stdout, StringComparison.Ordinal);
        var password = generated.Stdout.TrimEnd().Split('\n')[^1].Trim();
        Assert.True(password.Length >= 20, generated.Stdout);
        using var fresh = await server.SignInAsync(ws.OwnerEmail, password);
        Assert.Equal(HttpStatusCode.Unauthorized, (await session.GetAsync("/api/v1/workspace")).StatusCode);

        var chosen = await PromoterProcess.RunAsync(["user", "reset-password", "--email", ws.OwnerEmail, "--workspace", ws.Name, "--password", "chosen-password-42"], environment: env);
        Assert.True(chosen.ExitCode == 0, chosen.Stderr);
        Assert.DoesNotContain("chosen-password-42", chosen.Stdout, StringComparison.Ordinal);
        using var again = await server.SignInAsync(ws.OwnerEmail, "chosen-password-42");

        var stranger = await PromoterProcess.RunAsync(["user", "reset-password", "--email", "nobody@example.com"], environment: env);
        Assert.Equal(1, stranger.ExitCode);
        var shortOne = await PromoterProcess.RunAsync(["user", "reset-password", "--email", ws.OwnerEmail, "--password", "short"], environment: env);
        Assert.Equal(1, shortOne.ExitCode);
        Assert.Contains("password", shortOne.Stderr, StringComparison.Ordinal);
    }

    internal static async Task<(HttpStatusCode Status, string Html)> PostLoginAsync(HttpClient client, string email, string password)
    {
        var token = HtmlForms.AntiforgeryToken(await client.GetStringAsync("/login"));
        using var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static HttpClient FromAddress(PromoterTestServer server, IPAddress local)
    {
        var sockets = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectCallback = async (context, ct) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Bind(new IPEndPoint(local, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        return server.CreateClient(new CookieJar(sockets));
    }
}
