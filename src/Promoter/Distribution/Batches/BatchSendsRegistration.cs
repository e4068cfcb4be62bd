namespace Promoter.Distribution.Batches;

public static class BatchSendsRegistration
{
    /// <summary>One-off batch sends: the durable jobs, the runner any node (or the CLI) uses, and the background worker.</summary>
    public static IHostApplicationBuilder AddBatchSends(this IHostApplicationBuilder builder)
    {
        builder.AddBatchSendServices();
        builder.Services.AddHostedService<BatchSendWorker>();
        return builder;
    }

    /// <summary>Everything but the worker, for the CLI (which runs its own job in the foreground).</summary>
    public static IHostApplicationBuilder AddBatchSendServices(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<BatchSendOptions>().BindConfiguration(BatchSendOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<BatchSendSignal>();
        builder.Services.AddSingleton<BatchSendRunner>();
        builder.Services.AddScoped<BatchSends>();
        return builder;
    }

    public static IEndpointRouteBuilder MapBatchSends(this IEndpointRouteBuilder app) => app.MapBatchSendsApi();
}
