namespace Promoter.Integrations.Webhooks.Pages;

/// <summary>An endpoint's state in words, for the dashboard.</summary>
public static class WebhookStatusText
{
    public static string Of(WebhookDto e) => (e.Enabled, e.DisabledReason, e.FailingSince) switch
    {
        (true, _, { } since) => $"failing since {since:yyyy-MM-dd HH:mm}",
        (true, _, null) => "enabled",
        (false, WebhookDisabledReason.Gone, _) => "disabled: the receiver answered 410 Gone",
        (false, WebhookDisabledReason.Failing, _) => "disabled: failing for 5 days",
        _ => "disabled",
    };
}
