namespace Promoter.Metrics;

public static class MetricsRegistration
{
    /// <summary>NPS on rollups: the engine, rollup maintenance, benchmarks and targets.</summary>
    public static IHostApplicationBuilder AddMetrics(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<RollupMaintenance>();
        builder.Services.AddScoped<MetricsEngine>();
        builder.Services.AddScoped<MetricsReports>();
        builder.Services.AddScoped<Export.ResponseExporter>();
        builder.Services.AddSingleton(_ => new BenchmarkCatalog(BenchmarkCatalog.DefaultPath));
        return builder;
    }
}
