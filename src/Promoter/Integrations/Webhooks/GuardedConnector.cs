using System.Net;
using System.Net.Sockets;

namespace Promoter.Integrations.Webhooks;

/// <summary>Thrown when a webhook would connect to an address the <see cref="WebhookNetworkPolicy"/> refuses.</summary>
public sealed class WebhookAddressRefusedException(string host, string reason)
    : Exception($"Refused to connect to {host}: {reason}.");

/// <summary>
/// The SSRF guard, as <see cref="SocketsHttpHandler.ConnectCallback"/>: resolve the host once, refuse if any of its
/// addresses is not allowed, then connect to exactly those addresses. Validating and connecting with one lookup leaves no
/// window for DNS rebinding; TLS still verifies the certificate against the host name.
/// </summary>
public sealed class GuardedConnector(WebhookNetworkPolicy policy)
{
    public async ValueTask<Stream> ConnectAsync(SocketsHttpConnectionContext context, CancellationToken ct)
    {
        var host = context.DnsEndPoint.Host;
        var addresses = IPAddress.TryParse(host.Trim('[', ']'), out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(host, ct);
        if (addresses.Length == 0)
        {
            throw new SocketException((int)SocketError.HostNotFound);
        }

        // Any: a name answering with one public and one internal address could otherwise be steered to the internal one.
        foreach (var address in addresses)
        {
            if (policy.Refusal(address) is { } reason)
            {
                throw new WebhookAddressRefusedException(host, reason);
            }
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, context.DnsEndPoint.Port, ct);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
