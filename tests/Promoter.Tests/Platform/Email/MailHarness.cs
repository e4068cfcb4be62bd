using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;
using Promoter.Data;
using Promoter.Platform.Email;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Platform.Email;

/// <summary>A server whose mail dispatcher runs only when a test says so, on a fake clock, with one workspace.</summary>
public sealed class MailHarness : IAsyncDisposable
{
    private MailHarness(PromoterTestServer server, PromoterTestServer.SeededWorkspace workspace)
    {
        Server = server;
        Workspace = workspace;
    }

    public PromoterTestServer Server { get; }
    public PromoterTestServer.SeededWorkspace Workspace { get; }
    public FakeTimeProvider Clock => Server.Clock!;
    public DateTime Now => Clock.GetUtcNow().UtcDateTime;

    public static async Task<MailHarness> StartAsync(DatabaseProvider provider, Dictionary<string, string?> smtp, TestDatabase? database = null,
        DateTimeOffset? start = null, bool dispatch = false)
    {
        var settings = new Dictionary<string, string?>(smtp)
        {
            ["Email:DispatchEnabled"] = dispatch ? "true" : "false",
            ["Smtp:TimeoutSeconds"] = "5",
            // A 2 s poll on the fake clock would fire 1,800 times for every hour a test skips.
            ["Webhooks:DispatchEnabled"] = "false",
        };
        var server = await PromoterTestServer.StartAsync(provider, new PromoterTestServer.Options
        {
            Clock = new FakeTimeProvider(start ?? new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero)),
            Settings = settings,
            Database = database,
        });
        var workspace = await server.CreateWorkspaceAsync("Mail " + Guid.NewGuid().ToString("N")[..6]);
        return new MailHarness(server, workspace);
    }

    public Task<Guid> QueueAsync(string to, string subject = "Hello", string? html = null, string? text = null, IReadOnlyDictionary<string, string>? headers = null,
        string kind = EmailKinds.Alert) =>
        Server.InWorkspaceAsync(Workspace.Id, async sp =>
        {
            var email = sp.GetRequiredService<EmailOutbox>().Enqueue(kind, to,
                new EmailContent(subject, html ?? $"<p>{subject}</p>", text ?? subject, headers));
            await sp.GetRequiredService<PromoterDb>().SaveChangesAsync();
            return email.Id;
        });

    public Task<int> DispatchAsync() => Server.Services.GetRequiredService<EmailDispatcher>().DispatchDueAsync(CancellationToken.None);

    public Task<OutboundEmail> EmailAsync(Guid id) =>
        Server.InWorkspaceAsync(Workspace.Id, sp => sp.GetRequiredService<PromoterDb>().OutboundEmails.AsNoTracking().SingleAsync(e => e.Id == id));

    public Task<List<EmailSuppression>> SuppressionsAsync() =>
        Server.InWorkspaceAsync(Workspace.Id, sp => sp.GetRequiredService<PromoterDb>().EmailSuppressions.AsNoTracking().ToListAsync());

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
