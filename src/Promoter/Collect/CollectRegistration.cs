using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using Promoter.Collect.Respondent;

namespace Promoter.Collect;

public static class CollectRegistration
{
    /// <summary>
    /// Taking responses in: the group-commit writer, the intake API's idempotency keys, CSV import, and the respondent page
    /// (form tickets, answers, scanner guards, rate limits, the provisional-score finalizer).
    /// </summary>
    public static IHostApplicationBuilder AddCollect(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<ResponseWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<ResponseWriter>());
        services.AddSingleton<IdempotencyKeys>();
        services.AddResponseImport();

        services.AddOptions<RespondentOptions>().BindConfiguration(RespondentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddDataProtection();
        services.AddSingleton<FormTickets>();
        services.AddSingleton<Widget.WidgetTickets>();
        services.AddSingleton<RespondentAssets>();
        services.AddScoped<RespondentTargets>();
        services.AddScoped<SurveyViews>();
        services.AddScoped<AnswerRecorder>();
        services.AddScoped<ScannerGuard>();
        services.AddScoped<RespondentFlow>();
        services.AddScoped<ResponseFinalizer>();
        services.AddHostedService<ResponseFinalizerWorker>();
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RespondentOptions>>((limits, respondent) =>
            limits.GlobalLimiter = RespondentRateLimits.Create(respondent.Value));
        return builder;
    }

    /// <summary>The CSV importer alone, for hosts without the intake pipeline (the CLI).</summary>
    public static IServiceCollection AddResponseImport(this IServiceCollection services) => services.AddScoped<ResponseImporter>();
}
