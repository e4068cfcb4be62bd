using System.Net;
using System.Net.Sockets;

namespace Promoter.Platform;

/// <summary>
/// Client addresses are personal data, so Promoter keeps only a network prefix (/24 for IPv4, /48 for IPv6):
/// enough to rate-limit a network, not enough to name a person.
/// </summary>
public static class ClientAddress
{
    public static string PrefixOf(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            bytes[3] = 0;
            return new IPAddress(bytes) + "/24";
        }

        for (var i = 6; i < bytes.Length; i++)
        {
            bytes[i] = 0;
        }

        return new IPAddress(bytes) + "/48";
    }
}
