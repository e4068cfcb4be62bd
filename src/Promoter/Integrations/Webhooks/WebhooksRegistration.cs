namespace Promoter.Integrations.Webhooks;

public static class WebhooksRegistration
{
    /// <summary>Webhook endpoints, the event helper for other features, the SSRF-guarded sender and the dispatcher.</summary>
    public static IHostApplicationBuilder AddWebhooks(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<WebhooksOptions>().BindConfiguration(WebhooksOptions.Section)
            // appsettings.json may list the networks as an array; environment variables give one comma-separated string.
            .PostConfigure<IConfiguration>((o, config) =>
            {
                var listed = config.GetSection($"{WebhooksOptions.Section}:{nameof(WebhooksOptions.AllowedPrivateNetworks)}").GetChildren().Select(c => c.Value).ToList();
                if (listed.Count > 0)
                {
                    o.AllowedPrivateNetworks = string.Join(',', listed);
                }
            })
            .ValidateDataAnnotations()
            .Validate(o => WebhooksOptions.TryParseNetworks(o.AllowedPrivateNetworks, out _),
                "Webhooks:AllowedPrivateNetworks must be CIDR networks separated by commas, e.g. 10.0.0.0/8, 192.168.1.0/24.")
            .ValidateOnStart();
        services.AddSingleton<WebhookNetworkPolicy>();
        services.AddSingleton<WebhookUrls>();
        services.AddSingleton<GuardedConnector>();
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<WebhookSecrets>();
        services.AddSingleton<WebhookDispatcher>();
        services.AddHostedService<WebhookDispatcherWorker>();
        services.AddScoped<WebhookEvents>();
        services.AddScoped<WebhookPayloads>();
        services.AddScoped<WebhookEndpointEditor>();
        services.AddScoped<WebhookDeliveryLog>();
        services.AddScoped<IWebhookAlerts, EmailedWebhookAlerts>();
        return builder;
    }
}
