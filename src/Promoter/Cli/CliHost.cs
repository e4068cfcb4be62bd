using Promoter.Churn;
using Promoter.Accounts;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Demo;
using Promoter.Distribution;
using Promoter.Distribution.Batches;
using Promoter.Distribution.Contacts;
using Promoter.Platform.Email;
using Promoter.Localization;
using Promoter.Surveys;
using Promoter.Metrics;

namespace Promoter.Cli;

/// <summary>
/// The services an operator command needs (database, accounts), configured exactly like the server
/// (appsettings, <c>Database__*</c> environment variables), with logs on stderr so stdout stays parseable.
/// </summary>
public sealed class CliHost : IAsyncDisposable
{
    private readonly IHost _host;

    private CliHost(IHost host) => _host = host;

    public IServiceProvider Services => _host.Services;

    public static async Task<CliHost> StartAsync(CancellationToken ct, bool migrate = true)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            ContentRootPath = AppContext.BaseDirectory,
            ApplicationName = typeof(CliHost).Assembly.GetName().Name,
        });
        builder.Logging.ClearProviders();
        builder.Logging.AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.AddPromoterData();
        builder.AddLocales();
        builder.AddAccounts();
        builder.AddSurveys();
        builder.AddDemo();
        builder.AddMetrics();
        builder.Services.AddResponseImport();
        builder.AddContacts();
        // Registered for the services they offer (the outbox, the invitation scheduler); the host is never started, so no worker runs.
        builder.AddEmail();
        builder.AddDistribution();
        builder.AddBatchSendServices();
        builder.AddChurnServices();
        var host = builder.Build();
        var cli = new CliHost(host);
        if (migrate && host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value.AutoMigrate)
        {
            await using var scope = cli.CreateScope();
            await scope.ServiceProvider.GetRequiredService<SchemaMigrator>().MigrateAsync(ct);
        }

        return cli;
    }

    public AsyncServiceScope CreateScope() => _host.Services.CreateAsyncScope();

    public async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable d)
        {
            await d.DisposeAsync();
        }
        else
        {
            _host.Dispose();
        }
    }
}
