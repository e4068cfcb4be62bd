namespace Promoter.Understand;

public static class UnderstandRegistration
{
    /// <summary>Text analytics: the comment index, themes, and the words and themes reports behind the Why section.</summary>
    public static IHostApplicationBuilder AddUnderstand(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<UnderstandOptions>().BindConfiguration(UnderstandOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<TermIds>();
        services.AddSingleton<TermCountCache>();
        services.AddScoped<TextIndexer>();
        services.AddScoped<ThemeRetagger>();
        services.AddScoped<ThemeEditor>();
        services.AddScoped<WhyReports>();
        services.AddHostedService<TextWorker>();
        return builder;
    }
}
