using Promoter.Distribution.Invitations;
using Promoter.Distribution.Recurring;
using Promoter.Distribution.Unsubscribes;
using Promoter.Platform.Email;

namespace Promoter.Distribution;

public static class DistributionRegistration
{
    /// <summary>Invitations (scheduling, their mail and reminders), recurring sends, unsubscribes and the sending pages.</summary>
    public static IHostApplicationBuilder AddDistribution(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DistributionOptions>().BindConfiguration(DistributionOptions.Section)
            .ValidateDataAnnotations()
            .Validate(o => string.IsNullOrWhiteSpace(o.UnsubscribeMailbox) || Platform.EmailAddresses.TryNormalize(o.UnsubscribeMailbox, out _),
                "Distribution:UnsubscribeMailbox must be an email address (e.g. unsubscribe@example.com).")
            .ValidateOnStart();
        services.AddScoped<InvitationScheduler>();
        services.AddScoped<InvitationMail>();
        services.AddScoped<IEmailComposer, InvitationComposer>();
        services.AddScoped<IEmailComposer, ReminderComposer>();
        services.AddScoped<Unsubscriber>();
        services.AddScoped<Pages.SendingStatus>();
        services.AddSingleton<RecurringSends>();
        services.AddHostedService<RecurringSendWorker>();
        return builder;
    }

    /// <summary>Touchpoint triggers and invitations, unsubscribes (the pages are Razor Pages in the feature folder).</summary>
    public static IEndpointRouteBuilder MapDistribution(this IEndpointRouteBuilder app)
    {
        app.MapInvitationsApi();
        app.MapUnsubscribesApi();
        app.MapRecurringSendsApi();
        return app;
    }
}
