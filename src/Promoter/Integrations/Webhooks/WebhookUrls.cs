using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Promoter.Platform;

namespace Promoter.Integrations.Webhooks;

/// <summary>
/// The URL rules, checked when an endpoint is saved (so mistakes and probes get a clear 400 naming <c>url</c>) and again
/// by <see cref="GuardedConnector"/> on every connection, which is the check that counts: DNS may answer differently later.
/// </summary>
public sealed class WebhookUrls(WebhookNetworkPolicy policy, IOptions<WebhooksOptions> options)
{
    public const int MaxLength = 2000;
    private static readonly TimeSpan s_lookupTimeout = TimeSpan.FromSeconds(3);

    /// <summary>Validates <paramref name="input"/>, adding errors under <paramref name="field"/>; returns the normalized URL.</summary>
    public async Task<string?> CheckAsync(string? input, string field, FieldErrors errors, CancellationToken ct)
    {
        var text = input?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            errors.Add(field, "Enter the URL that should receive the webhooks.");
            return null;
        }

        if (text.Length > MaxLength || text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            errors.Add(field, $"Use a URL of at most {MaxLength} characters without spaces or control characters.");
            return null;
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || SchemeRefusal(uri) is not null)
        {
            errors.Add(field, SchemeHint);
            return null;
        }

        if ((FormRefusal(uri) ?? await HostRefusalAsync(uri, ct)) is { } refusal)
        {
            errors.Add(field, refusal);
            return null;
        }

        return uri.AbsoluteUri;
    }

    private string SchemeHint => options.Value.AllowHttp ? "Enter an absolute http or https URL." : "Enter an absolute https URL.";

    /// <summary>The scheme rule, also applied before every send (the setting may have changed since the URL was saved).</summary>
    public string? SchemeRefusal(Uri uri) =>
        uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && options.Value.AllowHttp) ? null : SchemeHint;

    private static string? FormRefusal(Uri uri)
    {
        if (uri.UserInfo.Length > 0)
        {
            return "Remove the user name and password from the URL: Promoter signs every request instead.";
        }

        if (uri.Fragment.Length > 0)
        {
            return "Remove the #fragment: it is never sent to the receiver.";
        }

        // Well-known service ports below 1024 (SMTP, SSH, …) are not webhook receivers.
        return uri.Port is 80 or 443 or >= 1024 ? null : "Use port 443, 80 or a port from 1024 to 65535.";
    }

    private async Task<string?> HostRefusalAsync(Uri uri, CancellationToken ct)
    {
        // IdnHost, not Host: "①②⑦.0.0.1" is a DNS name to Uri but 127.0.0.1 once normalized for the wire.
        // An IPv6 literal's Host drops a zone id ("%25eth0") that would otherwise hide the address from the parser.
        var host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.IdnHost.TrimEnd('.');
        if (host.Length == 0)
        {
            return "The URL has no host.";
        }

        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase))
        {
            return "localhost is this server: webhooks go to other machines.";
        }

        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal))
        {
            return policy.Refusal(literal) is { } reason ? Explain(reason) : null;
        }

        IPAddress[] addresses;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(s_lookupTimeout);
            addresses = await Dns.GetHostAddressesAsync(host, timeout.Token);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            // A name that does not resolve yet may be set up later; every connection is checked again anyway.
            return null;
        }

        return addresses.Select(policy.Refusal).FirstOrDefault(r => r is not null) is { } blocked ? Explain($"{host} resolves to an address that is not allowed: {blocked}") : null;
    }

    private static string Explain(string reason) =>
        $"Webhooks go to public addresses only ({reason}). An operator can allow a network with Webhooks:AllowedPrivateNetworks.";
}
