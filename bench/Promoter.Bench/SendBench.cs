using System.Diagnostics;
using System.Globalization;
using System.Net.Mail;
using System.Net.Sockets;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Distribution.Batches;
using Promoter.Distribution.Contacts;
using Promoter.Platform;
using Promoter.Platform.Email;
using Promoter.Surveys;

namespace Promoter.Bench;

/// <summary>
/// A batch send of N contacts on the real server (SQLite, synchronous=FULL) to a local maildev process: the time until
/// every invitation and its outbox mail is committed ("queued"), then until the SMTP server has accepted every mail
/// ("delivered"). Baseline in the same run: the same number of plain messages sent straight to the same maildev with
/// System.Net.Mail over as many connections as the outbox uses — no database, no outbox, no rendering.
/// </summary>
internal static class SendBench
{
    public sealed record Outcome(int Contacts, double QueueSeconds, double DeliverSeconds, double EmailsPerSecond, double BaselineSeconds, double BaselinePerSecond);

    public static async Task<Outcome> RunAsync(int contacts, TextWriter log, CancellationToken ct)
    {
        var smtpPort = FreePort();
        await using var maildev = await StartMaildevAsync(smtpPort, ct);
        await using var database = BenchDatabase.CreateEmpty();
        var builder = Promoter.Program.CreateServerBuilder(["--urls=http://127.0.0.1:0"]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Smtp:Host"] = "127.0.0.1",
            ["Smtp:Port"] = smtpPort.ToString(CultureInfo.InvariantCulture),
            ["Smtp:From"] = "surveys@bench.test",
            ["Distribution:QuietHoursStart"] = "0",
            ["Distribution:QuietHoursEnd"] = "0",
            ["Distribution:RecurringEnabled"] = "false",
            ["BatchSends:Enabled"] = "false", // started below by hand, to time the queueing alone
        });
        await using var app = Promoter.Program.BuildServer(builder);
        await ServerStartup.PrepareAsync(app, ct);
        await app.StartAsync(ct);

        Guid workspace, survey;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            var created = await scope.ServiceProvider.GetRequiredService<WorkspaceAdmin>().CreateAsync("Bench", BenchDatabase.OwnerEmail, BenchDatabase.OwnerPassword, "Bench", ct);
            workspace = created.Workspace.Id;
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspace);
            var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
            var now = TimeProvider.System.GetUtcNow().UtcDateTime;
            var s = new Survey { Id = Guid.CreateVersion7(), Name = "Relationship", BrandName = "Acme", CreatedAt = now, UpdatedAt = now };
            db.Surveys.Add(s);
            await db.SaveChangesAsync(ct);
            survey = s.Id;
            var csv = new StringBuilder("email,name,locale,time_zone,plan\n");
            string[] locales = ["en", "sv", "ar", "mk", "th"];
            for (var i = 0; i < contacts; i++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"person{i:D6}@bench.test,Person {i},{locales[i % 5]},UTC,{(i % 2 == 0 ? "gold" : "silver")}\n");
            }

            using var stream = new MemoryStream(Encoding.UTF8.GetBytes(csv.ToString()));
            var imported = await scope.ServiceProvider.GetRequiredService<ContactImporter>().ImportAsync(stream, new ContactImportRequest(), ct);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"send: {imported.Created:N0} contacts imported in {imported.Elapsed.TotalSeconds:0.00} s"));
        }

        // Queue: start the batch and run it to the end on this node, as the worker would.
        var started = Stopwatch.GetTimestamp();
        BatchJob job;
        await using (var scope = app.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspace);
            job = await scope.ServiceProvider.GetRequiredService<BatchSends>().StartAsync(survey, "bench", ContactFilter.None, ct);
        }

        var status = await app.Services.GetRequiredService<BatchSendRunner>().RunToEndAsync(job.Id, workspace, null, ct);
        var queued = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (status != BatchJobStatus.Done)
        {
            throw new InvalidOperationException($"The batch ended {status}.");
        }

        log.WriteLine(string.Create(CultureInfo.InvariantCulture, $"send: {contacts:N0} invitations queued in {queued:0.00} s; delivering…"));

        // Deliver: the outbox dispatcher (already running) sends; wait until every mail is accepted.
        var sent = 0;
        while (sent < contacts)
        {
            await Task.Delay(200, ct);
            await using var scope = app.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspace);
            var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
            sent = await db.OutboundEmails.CountAsync(e => e.Status == EmailStatus.Sent, ct);
            var failed = await db.OutboundEmails.CountAsync(e => e.Status != EmailStatus.Sent && e.Status != EmailStatus.Pending, ct);
            if (failed > 0)
            {
                throw new InvalidOperationException($"{failed} mails failed.");
            }

            if (Stopwatch.GetElapsedTime(started).TotalMinutes > 30)
            {
                throw new InvalidOperationException($"Only {sent} of {contacts} mails delivered after 30 minutes.");
            }
        }

        var delivered = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var connections = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<SmtpOptions>>().Value.MaxConnections;
        await app.StopAsync(ct);

        // Baseline: the same count of small messages straight to the same SMTP server, same number of connections.
        var baselineStarted = Stopwatch.GetTimestamp();
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, connections).Select(_ => Task.Run(async () =>
        {
            using var client = new SmtpClient("127.0.0.1", smtpPort);
            while (Interlocked.Increment(ref next) < contacts)
            {
                using var message = new MailMessage("surveys@bench.test", $"baseline{next:D6}@bench.test", "How likely are you to recommend Acme?", "0 1 2 3 4 5 6 7 8 9 10");
                await client.SendMailAsync(message, ct);
            }
        }, ct)));
        var baseline = Stopwatch.GetElapsedTime(baselineStarted).TotalSeconds;

        var deliverSeconds = delivered - queued;
        var outcome = new Outcome(contacts, queued, delivered, contacts / delivered, baseline, contacts / baseline);
        log.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"send: {contacts:N0} invitations queued in {queued:0.00} s ({contacts / queued:N0}/s); all accepted by SMTP {delivered:0.00} s after the start " +
            $"({deliverSeconds:0.00} s after queueing; {outcome.EmailsPerSecond:N0} emails/s end to end, {contacts / Math.Max(0.001, deliverSeconds):N0}/s sending); " +
            $"baseline, plain System.Net.Mail over {connections} connections: {baseline:0.00} s ({outcome.BaselinePerSecond:N0} emails/s)"));
        return outcome;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    private sealed class Maildev(Process process) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }

            process.Dispose();
        }
    }

    /// <summary>maildev from tests/node (run <c>npm ci</c> there first), as the integration tests use it.</summary>
    private static async Task<Maildev> StartMaildevAsync(int smtpPort, CancellationToken ct)
    {
        var script = Locate("tests", "node", "node_modules", "maildev", "bin", "maildev");
        var web = FreePort();
        var info = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { script, "--smtp", smtpPort.ToString(CultureInfo.InvariantCulture), "--web", web.ToString(CultureInfo.InvariantCulture), "--ip", "127.0.0.1", "--silent" })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("node did not start.");
        // Drain the pipes so the child never blocks on a full buffer.
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var _ = await http.GetAsync(new Uri($"http://127.0.0.1:{web}/email"), ct);
                return new Maildev(process);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                await Task.Delay(100, ct);
            }
        }

        throw new InvalidOperationException("maildev did not start; run 'npm ci' in tests/node.");
    }

    private static string Locate(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine([dir.FullName, .. parts]);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"{Path.Combine(parts)} not found above {AppContext.BaseDirectory}.");
    }
}
