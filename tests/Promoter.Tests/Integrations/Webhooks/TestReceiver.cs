using System.Collections.Concurrent;
using System.Text;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Promoter.Tests.Integrations.Webhooks;

/// <summary>How the receiver answers one request.</summary>
public sealed record ReceiverAnswer(int Status = 200, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, TimeSpan Delay = default, bool Abort = false)
{
    public static readonly ReceiverAnswer Ok = new();
}

/// <summary>
/// A webhook receiver: a small Kestrel app on a loopback address (127.0.0.2 by default, which the webhook tests allow
/// with <c>Webhooks:AllowedPrivateNetworks</c>), recording every request and answering as the test says.
/// </summary>
public sealed class TestReceiver : IAsyncDisposable
{
    public sealed record Request(string? Id, string? Timestamp, string? Signature, string Body, string? ContentType, string? UserAgent, string Path);

    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Request> _requests = new();
    private int _count;

    private TestReceiver(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    /// <summary>The receiver's base URL, e.g. http://127.0.0.2:41234/.</summary>
    public Uri Url { get; }

    public string Hook(string path = "hook") => new Uri(Url, path).ToString();

    public int Port => Url.Port;

    /// <summary>Decides each answer from the request and how many came before it.</summary>
    public Func<Request, int, ReceiverAnswer> Answer { get; set; } = (_, _) => ReceiverAnswer.Ok;

    public IReadOnlyList<Request> Requests => [.. _requests];

    public static async Task<TestReceiver> StartAsync(string address = "127.0.0.2", int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://{(address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address)}:{port}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        TestReceiver? receiver = null;
        app.Run(async http =>
        {
            using var reader = new StreamReader(http.Request.Body, Encoding.UTF8);
            var request = new Request(http.Request.Headers["webhook-id"], http.Request.Headers["webhook-timestamp"], http.Request.Headers["webhook-signature"],
                await reader.ReadToEndAsync(), http.Request.ContentType, http.Request.Headers.UserAgent, http.Request.Path);
            var index = Interlocked.Increment(ref receiver!._count) - 1;
            receiver._requests.Enqueue(request);
            var answer = receiver.Answer(request, index);
            if (answer.Delay > TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay);
            }

            if (answer.Abort)
            {
                http.Abort();
                return;
            }

            http.Response.StatusCode = answer.Status;
            foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
            {
                http.Response.Headers[name] = value;
            }

            if (answer.Body is not null)
            {
                await http.Response.WriteAsync(answer.Body);
            }
        });
        await app.StartAsync();
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        receiver = new TestReceiver(app, new Uri(bound.EndsWith('/') ? bound : bound + "/"));
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
