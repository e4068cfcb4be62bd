namespace Promoter.Platform.Email;

public static class EmailRegistration
{
    /// <summary>The mail outbox for every feature, the SMTP transport and the dispatcher that drains the outbox.</summary>
    public static IHostApplicationBuilder AddEmail(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<SmtpOptions>().BindConfiguration(SmtpOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => !o.IsConfigured || EmailAddresses.TryNormalize(o.From, out _),
                "Smtp:From must be the sender's email address (e.g. surveys@example.com) when Smtp:Host is set.")
            .Validate(o => string.IsNullOrEmpty(o.Username) || !string.IsNullOrEmpty(o.Password), "Smtp:Password is required with Smtp:Username.")
            .ValidateOnStart();
        services.AddOptions<EmailOptions>().BindConfiguration(EmailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EmailSignal>();
        services.AddSingleton<MailRelay>();
        services.AddSingleton<IEmailTransport, SmtpEmailTransport>();
        services.AddSingleton<EmailDispatcher>();
        services.AddHostedService<EmailDispatcherWorker>();
        services.AddScoped<EmailOutbox>();
        return builder;
    }
}
