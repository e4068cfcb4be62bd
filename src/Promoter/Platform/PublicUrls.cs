using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Promoter.Platform;

/// <summary><c>Promoter:PublicUrl</c>: the address respondents and API clients reach the server at (links in emails, survey URLs).</summary>
public sealed class PromoterOptions
{
    public const string Section = "Promoter";

    /// <summary>Absolute http(s) URL; empty means the address of the current request, or outside a request (mail sent by a background job) the server's own.</summary>
    [Url]
    public string? PublicUrl { get; set; }
}

public sealed class PublicUrls(IOptions<PromoterOptions> options, IHttpContextAccessor http, IServiceProvider services)
{
    /// <summary>The configured public URL, else the scheme and host of the current request, else the server's first listening address; no trailing slash.</summary>
    public string Base
    {
        get
        {
            if (!string.IsNullOrEmpty(options.Value.PublicUrl))
            {
                return options.Value.PublicUrl.TrimEnd('/');
            }

            if (http.HttpContext?.Request is { } request)
            {
                return $"{request.Scheme}://{request.Host}{request.PathBase}";
            }

            return ServerAddress() ?? throw new InvalidOperationException("Set Promoter:PublicUrl: there is no request or listening address to take the address from.");
        }
    }

    private string? ServerAddress()
    {
        var address = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null || !Uri.TryCreate(address.Replace("//+", "//localhost", StringComparison.Ordinal).Replace("//*", "//localhost", StringComparison.Ordinal), UriKind.Absolute, out var uri))
        {
            return null;
        }

        // A wildcard listener is not an address anyone can open; the loopback name is the best guess without Promoter:PublicUrl.
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "localhost" : uri.Host;
        return $"{uri.Scheme}://{(uri.HostNameType == UriHostNameType.IPv6 && host != "localhost" ? $"[{host.Trim('[', ']')}]" : host)}:{uri.Port}";
    }

    public string Survey(Guid surveyId) => $"{Base}/s/{surveyId}";

    public string Invitation(string token) => $"{Base}/r/{token}";
}
