using System.ComponentModel.DataAnnotations;
using System.Net;

namespace Promoter.Integrations.Webhooks;

/// <summary>The <c>Webhooks</c> configuration section.</summary>
public sealed class WebhooksOptions
{
    public const string Section = "Webhooks";

    /// <summary>
    /// CIDR networks webhooks may reach although they are private or reserved (e.g. "10.20.0.0/16, 127.0.0.2/32"),
    /// for self-hosters whose receivers live inside their network. Empty by default: public addresses only.
    /// </summary>
    public string AllowedPrivateNetworks { get; set; } = "";

    /// <summary>Allow plain-http endpoint URLs. Off by default: payloads carry respondents' answers.</summary>
    public bool AllowHttp { get; set; }

    [Range(1, 60)]
    public int TimeoutSeconds { get; set; } = 15;

    /// <summary>Run the dispatcher on this node. Turn it off on nodes that should only serve requests.</summary>
    public bool DispatchEnabled { get; set; } = true;

    [Range(1, 300)]
    public int PollIntervalSeconds { get; set; } = 2;

    /// <summary>Events and their delivery logs are kept this long (pending deliveries are never purged).</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 30;

    [Range(1, 100_000)]
    public int MaxEndpointsPerWorkspace { get; set; } = 500;

    public static bool TryParseNetworks(string? text, out IReadOnlyList<IPNetwork> networks)
    {
        var parsed = new List<IPNetwork>();
        networks = parsed;
        foreach (var part in (text ?? "").Split([',', ' ', ';', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!IPNetwork.TryParse(part, out var network))
            {
                return false;
            }

            parsed.Add(network);
        }

        return true;
    }
}
