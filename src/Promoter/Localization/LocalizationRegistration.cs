namespace Promoter.Localization;

public static class LocalizationRegistration
{
    /// <summary>The five-plus languages of every respondent-facing text.</summary>
    public static IHostApplicationBuilder AddLocales(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton(_ => new LocaleCatalog(LocaleCatalog.DefaultDirectory));
        builder.Services.AddSingleton<LanguageChooser>();
        return builder;
    }
}
