using Promoter.Accounts;
using Promoter.Churn;
using Promoter.Collect;
using Promoter.Collect.Widget;
using Promoter.Collect.Respondent;
using Promoter.Integrations.Delighted;
using Promoter.Integrations.Webhooks;
using Promoter.Localization;
using Promoter.Loop;
using Promoter.Metrics;
using Promoter.Metrics.Export;
using Promoter.Surveys;
using Promoter.Understand;
using Promoter.Cli;
using Promoter.Data;
using Promoter.Demo;
using Promoter.Distribution;
using Promoter.Distribution.Batches;
using Promoter.Distribution.Contacts;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter;

/// <summary>
/// The one executable. <c>promoter serve</c> runs the product; the other verbs are operator jobs (see <c>Cli/</c>).
/// The server is assembled here, one line per feature, and tests start it through the same two methods.
/// </summary>
public static class Program
{
    public static Task<int> Main(string[] args) => PromoterCli.RunAsync(args, Console.Out, Console.Error);

    public static WebApplicationBuilder CreateServerBuilder(string[] args)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(Program).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });

        builder.AddPlatform();
        builder.AddPromoterData();
        builder.AddEmail();
        builder.AddLocales();
        builder.AddAccounts();
        builder.AddAccountsWeb();
        builder.AddSurveys();
        builder.AddCollect();
        builder.AddMetrics();
        builder.AddWebhooks();
        builder.AddContacts();
        builder.AddDistribution();
        builder.AddBatchSends();
        builder.AddLoop();
        builder.AddUnderstand();
        builder.AddChurn();
        builder.AddDelighted();
        builder.AddDemo();
        return builder;
    }

    public static WebApplication BuildServer(WebApplicationBuilder builder)
    {
        var app = builder.Build();
        app.UsePlatform();

        app.MapHealth();
        app.MapOpenApi();
        app.MapAccountsApi();
        app.MapSurveysApi();
        app.MapResponsesApi();
        app.MapRespondentCapture();
        app.MapWidget();
        app.MapMetricsApi();
        app.MapBenchmarksApi();
        app.MapExports();
        app.MapWebhooksApi();
        app.MapContacts();
        app.MapDistribution();
        app.MapBatchSends();
        app.MapLoopApi();
        app.MapUnderstandApi();
        app.MapChurnApi();
        app.MapDelightedApi();
        app.MapRazorPages();
        return app;
    }
}
