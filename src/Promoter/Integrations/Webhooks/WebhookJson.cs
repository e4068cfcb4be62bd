using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Promoter.Integrations.Webhooks;

/// <summary>Payload serialization: the API's conventions (camelCase, enums as camelCase strings), minified.</summary>
public static class WebhookJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
        // Comments in Arabic or Thai stay readable in the delivery log; JSON escaping rules still apply.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
