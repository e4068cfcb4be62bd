using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Promoter.Collect.Respondent;

public static class RespondentRegistration
{
    /// <summary>The respondent page's services: tickets, answers, scanner guards, rate limits and the finalizer.</summary>
    public static IHostApplicationBuilder AddRespondent(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<RespondentOptions>().BindConfiguration(RespondentOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddDataProtection();
        services.AddSingleton<FormTickets>();
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
}
