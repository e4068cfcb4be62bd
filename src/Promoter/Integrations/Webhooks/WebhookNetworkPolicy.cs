using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;

namespace Promoter.Integrations.Webhooks;

/// <summary>
/// Which addresses a webhook may connect to: public unicast only, unless an operator allowed a network with
/// <see cref="WebhooksOptions.AllowedPrivateNetworks"/>. Consulted at save time and, authoritatively, when connecting.
/// </summary>
public sealed class WebhookNetworkPolicy
{
    // Private, loopback, link-local (cloud metadata lives at 169.254.169.254 and fd00:ec2::254), CGNAT, benchmarking,
    // documentation, multicast and reserved ranges, plus the IPv6 forms that wrap an IPv4 address (NAT64, IPv4-compatible).
    private static readonly IPNetwork[] s_blocked = Parse(
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.0.2.0/24", "192.88.99.0/24", "192.168.0.0/16", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24",
        "224.0.0.0/4", "240.0.0.0/4",
        "::/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64", "2001::/32", "2001:db8::/32", "fc00::/7", "fe80::/10",
        "fec0::/10", "ff00::/8");

    private static readonly IPNetwork s_sixToFour = IPNetwork.Parse("2002::/16");

    private readonly IReadOnlyList<IPNetwork> _allowed;

    public WebhookNetworkPolicy(IOptions<WebhooksOptions> options)
    {
        if (!WebhooksOptions.TryParseNetworks(options.Value.AllowedPrivateNetworks, out var allowed))
        {
            throw new OptionsValidationException(WebhooksOptions.Section, typeof(WebhooksOptions), ["Webhooks:AllowedPrivateNetworks must list CIDR networks."]);
        }

        _allowed = allowed;
    }

    /// <summary>Null when a webhook may connect to <paramref name="address"/>; otherwise why not.</summary>
    public string? Refusal(IPAddress address)
    {
        // ::ffff:127.0.0.1 reaches 127.0.0.1 on a dual-stack socket: judge the IPv4 address inside.
        var a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        if (a.AddressFamily == AddressFamily.InterNetworkV6 && a.ScopeId != 0)
        {
            a = new IPAddress(a.GetAddressBytes());
        }

        if (_allowed.Any(n => n.Contains(a)))
        {
            return null;
        }

        if (s_blocked.Any(n => n.Contains(a)))
        {
            return $"{a} is a private, loopback, link-local or reserved address";
        }

        // 6to4 addresses carry an IPv4 address in bits 16..47; a relay would deliver to it.
        if (a.AddressFamily == AddressFamily.InterNetworkV6 && s_sixToFour.Contains(a))
        {
            var bytes = a.GetAddressBytes();
            return Refusal(new IPAddress(bytes.AsSpan(2, 4))) is { } inner ? $"{a} wraps an address that is not allowed: {inner}" : null;
        }

        return null;
    }

    private static IPNetwork[] Parse(params string[] networks) => networks.Select(IPNetwork.Parse).ToArray();
}
