using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Promoter.Platform;

/// <summary><c>Promoter:PublicUrl</c>: the address respondents and API clients reach the server at (links in emails, survey URLs).</summary>
public sealed class PromoterOptions
{
    public const string Section = "Promoter";

    /// <summary>Absolute http(s) URL; empty means "the address of the current request".</summary>
    [Url]
    public string? PublicUrl { get; set; }
}

public sealed class PublicUrls(IOptions<PromoterOptions> options, IHttpContextAccessor http)
{
    /// <summary>The configured public URL, or the scheme and host of the current request, without a trailing slash.</summary>
    public string Base
    {
        get
        {
            if (!string.IsNullOrEmpty(options.Value.PublicUrl))
            {
                return options.Value.PublicUrl.TrimEnd('/');
            }

            var request = http.HttpContext?.Request ?? throw new InvalidOperationException("Set Promoter:PublicUrl: there is no request to take the address from.");
            return $"{request.Scheme}://{request.Host}{request.PathBase}";
        }
    }

    public string Survey(Guid surveyId) => $"{Base}/s/{surveyId}";

    public string Invitation(string token) => $"{Base}/r/{token}";
}
