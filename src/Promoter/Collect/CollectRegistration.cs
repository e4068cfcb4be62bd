namespace Promoter.Collect;

public static class CollectRegistration
{
    /// <summary>Taking responses in: the group-commit writer, the intake API's idempotency keys, CSV import.</summary>
    public static IHostApplicationBuilder AddCollect(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<ResponseWriter>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<ResponseWriter>());
        builder.Services.AddSingleton<IdempotencyKeys>();
        builder.Services.AddResponseImport();
        return builder;
    }

    /// <summary>The CSV importer alone, for hosts without the intake pipeline (the CLI).</summary>
    public static IServiceCollection AddResponseImport(this IServiceCollection services) => services.AddScoped<ResponseImporter>();
}
