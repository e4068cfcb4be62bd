namespace Promoter.Churn;

public static class ChurnRegistration
{
    /// <summary>Churn risk: churn events, the risk score of every contact, its nightly refit and rescoring, the at-risk list.</summary>
    public static IHostApplicationBuilder AddChurn(this IHostApplicationBuilder builder)
    {
        builder.AddChurnServices();
        builder.Services.AddSingleton<NightlyRescoring>();
        builder.Services.AddHostedService<ChurnWorker>();
        return builder;
    }

    /// <summary>Everything but the worker, for the CLI (<c>promoter import churn</c>).</summary>
    public static IHostApplicationBuilder AddChurnServices(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<ChurnOptions>().BindConfiguration(ChurnOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddScoped<ChurnEventRecorder>();
        services.AddScoped<ChurnEventImporter>();
        services.AddScoped<ChurnHistories>();
        services.AddScoped<ContactRiskScorer>();
        services.AddScoped<ChurnModelFitter>();
        services.AddScoped<AtRiskQueries>();
        services.AddScoped<AtRiskCases>();
        return builder;
    }
}
