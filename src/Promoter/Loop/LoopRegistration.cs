namespace Promoter.Loop;

public static class LoopRegistration
{
    /// <summary>Follow-up cases, alert rules, replies to respondents, loop metrics and the worker behind them.</summary>
    public static IHostApplicationBuilder AddLoop(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<LoopOptions>().BindConfiguration(LoopOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<LoopSignal>();
        services.AddSingleton<LoopProcessor>();
        services.AddSingleton<AlertPoster>();
        services.AddSingleton<CaseEscalation>();
        services.AddSingleton<DigestSender>();
        services.AddHostedService<LoopWorker>();
        services.AddScoped<ResponseFollowUp>();
        services.AddScoped<AlertActions>();
        services.AddScoped<CaseService>();
        services.AddScoped<Platform.Email.IEmailComposer, CaseReplyComposer>();
        services.AddScoped<RespondentThread>();
        services.AddScoped<AlertRuleEditor>();
        services.AddScoped<LoopSettingsEditor>();
        services.AddScoped<LoopMetrics>();
        services.AddScoped<PromoterActivation>();
        return builder;
    }
}
