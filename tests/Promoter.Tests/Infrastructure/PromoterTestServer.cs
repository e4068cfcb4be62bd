using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Tests.Infrastructure;

/// <summary>
/// The one test host: the real server, built by <see cref="Program.CreateServerBuilder"/> and
/// <see cref="Program.BuildServer"/>, migrated by the real start-up path, listening on Kestrel over loopback,
/// on a throw-away SQLite file or PostgreSQL database.
/// </summary>
public sealed class PromoterTestServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TestDatabase _database;
    private readonly bool _ownsDatabase;

    private PromoterTestServer(WebApplication app, TestDatabase database, bool ownsDatabase, FakeTimeProvider? clock)
    {
        _app = app;
        _database = database;
        _ownsDatabase = ownsDatabase;
        Clock = clock;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
    }

    public Uri BaseAddress { get; }
    public IServiceProvider Services => _app.Services;
    public FakeTimeProvider? Clock { get; }
    public DatabaseProvider Provider => _database.Provider;
    public string ConnectionString => _database.ConnectionString;

    public sealed class Options
    {
        public FakeTimeProvider? Clock { get; init; }
        public Dictionary<string, string?> Settings { get; init; } = [];
        public Action<IServiceCollection>? Services { get; init; }

        /// <summary>An existing database to start on (a restart after a crash); the caller disposes it.</summary>
        public TestDatabase? Database { get; init; }
    }

    public static async Task<PromoterTestServer> StartAsync(DatabaseProvider provider, Options? options = null)
    {
        options ??= new Options();
        var database = options.Database ?? await TestDatabase.CreateAsync(provider);
        var builder = Program.CreateServerBuilder(["--urls=http://127.0.0.1:0", "--environment=Testing"]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(options.Settings)
        {
            ["Database:Provider"] = provider.ToString(),
            ["Database:ConnectionString"] = database.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        });
        if (options.Clock is { } clock)
        {
            builder.Services.RemoveAll<TimeProvider>();
            builder.Services.AddSingleton<TimeProvider>(clock);
        }

        options.Services?.Invoke(builder.Services);
        var app = Program.BuildServer(builder);
        await ServerStartup.PrepareAsync(app, CancellationToken.None);
        await app.StartAsync();
        return new PromoterTestServer(app, database, options.Database is null, options.Clock);
    }

    public HttpClient CreateClient(HttpMessageHandler? handler = null)
    {
        var client = handler is null ? new HttpClient() : new HttpClient(handler);
        client.BaseAddress = BaseAddress;
        client.Timeout = TimeSpan.FromSeconds(60);
        return client;
    }

    public HttpClient CreateApiClient(string apiKey)
    {
        var client = CreateClient(new HttpClientHandler { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }

    /// <summary>Runs code in a DI scope bound to a workspace, as a background job would.</summary>
    public async Task<T> InWorkspaceAsync<T>(Guid workspaceId, Func<IServiceProvider, Task<T>> work)
    {
        await using var scope = Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(workspaceId);
        return await work(scope.ServiceProvider);
    }

    public sealed record SeededWorkspace(Guid Id, string Name, string OwnerEmail, string OwnerPassword, string ApiKey);

    /// <summary>A workspace with an owner and an all-scope API key, created through the same services the setup page uses.</summary>
    public async Task<SeededWorkspace> CreateWorkspaceAsync(string name, IReadOnlyCollection<string>? keyScopes = null)
    {
        const string password = "correct-horse-battery";
        var email = $"owner-{Guid.NewGuid():N}@example.com";
        await using var scope = Services.CreateAsyncScope();
        var created = await scope.ServiceProvider.GetRequiredService<WorkspaceAdmin>().CreateAsync(name, email, password, "Owner " + name, CancellationToken.None);
        var key = await scope.ServiceProvider.GetRequiredService<ApiKeys>().CreateAsync("test key", keyScopes ?? Scopes.All, null, null, CancellationToken.None);
        return new SeededWorkspace(created.Workspace.Id, name, email, password, key.PlainText);
    }

    public async Task<string> CreateApiKeyAsync(Guid workspaceId, IReadOnlyCollection<string> scopes) =>
        await InWorkspaceAsync(workspaceId, async sp =>
            (await sp.GetRequiredService<ApiKeys>().CreateAsync("scoped key", scopes, null, null, CancellationToken.None)).PlainText);

    public async Task<(string Email, string Password)> AddMemberAsync(Guid workspaceId, Role role)
    {
        var email = $"{role.ToWireName()}-{Guid.NewGuid():N}@example.com";
        const string password = "member-password-42";
        await InWorkspaceAsync(workspaceId, async sp =>
            await sp.GetRequiredService<WorkspaceAdmin>().AddMemberAsync(email, role.ToWireName(), password, role.ToWireName(), Role.Owner, CancellationToken.None));
        return (email, password);
    }

    /// <summary>Signs in through the real login form (antiforgery included) and returns a client carrying the session.</summary>
    public async Task<HttpClient> SignInAsync(string email, string password)
    {
        var client = CreateClient(new CookieJar(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }));
        var form = await client.GetStringAsync("/login");
        var token = HtmlForms.AntiforgeryToken(form);
        using var response = await client.PostAsync("/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Email"] = email,
            ["Password"] = password,
            ["__RequestVerificationToken"] = token,
        }));
        if (response.StatusCode != System.Net.HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"Sign-in as {email} failed with {(int)response.StatusCode}.");
        }

        return client;
    }

    public static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<T>() ?? throw new InvalidOperationException("Empty JSON body.");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        if (_ownsDatabase)
        {
            await _database.DisposeAsync();
        }
    }
}
