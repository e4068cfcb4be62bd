namespace Promoter.Integrations.Webhooks;

/// <summary>The events an endpoint can subscribe to. Adding one is a line here and a call to <see cref="WebhookEvents.Add"/>.</summary>
public static class WebhookEventTypes
{
    /// <summary>A response became final: submitted, sent by API or import, or a provisional score confirmed.</summary>
    public const string ResponseCreated = "response.created";

    /// <summary>A final response's score, comment or answers changed.</summary>
    public const string ResponseUpdated = "response.updated";

    public const string ContactUnsubscribed = "contact.unsubscribed";
    public const string CaseCreated = "case.created";
    public const string CaseUpdated = "case.updated";

    /// <summary>A contact's churn risk rose from below the workspace's threshold (Churn:RaisedThreshold) to at or above it.</summary>
    public const string ContactRiskRaised = "contact.risk_raised";

    public static readonly IReadOnlyList<string> All = [ResponseCreated, ResponseUpdated, ContactUnsubscribed, CaseCreated, CaseUpdated, ContactRiskRaised];

    /// <summary>Written by the database triggers on <c>responses</c>, never by application code.</summary>
    public static bool IsResponseEvent(string type) => type is ResponseCreated or ResponseUpdated;

    public static bool IsKnown(string? type) => type is not null && All.Contains(type, StringComparer.Ordinal);

    /// <summary>The resource an event is about: the part before the dot.</summary>
    public static string ResourceOf(string type) => type[..type.IndexOf('.', StringComparison.Ordinal)];

    /// <summary>Delighted knows only survey responses; its receivers can subscribe to nothing else.</summary>
    public static bool DelightedSupports(string type) => IsResponseEvent(type);

    public static string DelightedName(string type) => type switch
    {
        ResponseCreated => "survey_response.created",
        ResponseUpdated => "survey_response.updated",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Delighted has no such event."),
    };
}
