using Promoter.Platform;

namespace Promoter.Integrations.Webhooks.Pages;

/// <summary>The endpoint form of the dashboard pages, turned into the same input the API takes.</summary>
public sealed class EndpointForm
{
    public string? Url { get; set; }
    public string? Description { get; set; }
    public string Format { get; set; } = "standard";
    public List<string> EventTypes { get; set; } = [WebhookEventTypes.ResponseCreated, WebhookEventTypes.ResponseUpdated];
    public bool Enabled { get; set; } = true;

    public WebhookInput ToInput() => new()
    {
        Url = Url ?? "",
        // An emptied description field clears it; the API reads null as "unchanged".
        Description = Description ?? "",
        Format = Format,
        EventTypes = [.. EventTypes],
        Enabled = Enabled,
    };

    public static EndpointForm From(WebhookEndpoint e) => new()
    {
        Url = e.Url,
        Description = e.Description,
        Format = e.Format == WebhookFormat.Delighted ? "delighted" : "standard",
        EventTypes = [.. e.EventTypes],
        Enabled = e.Enabled,
    };

    /// <summary>Service field names → form field names, so each message shows next to its field.</summary>
    public static readonly IReadOnlyDictionary<string, string> FieldMap = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["url"] = "Form.Url",
        ["description"] = "Form.Description",
        ["format"] = "Form.Format",
        ["eventTypes"] = "Form.EventTypes",
    };

    /// <summary>Maps <c>eventTypes[2]</c> to the event types field as well.</summary>
    public static void AddErrors(Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary state, RequestValidationException e)
    {
        foreach (var (field, messages) in e.Errors)
        {
            var key = FieldMap.GetValueOrDefault(field.Split('[')[0], "");
            foreach (var message in messages)
            {
                state.AddModelError(key, message);
            }
        }
    }
}
