using System.ComponentModel.DataAnnotations;

namespace Promoter.Integrations.Delighted;

/// <summary><c>Delighted:*</c>: limits of the Delighted-compatible <c>/v1</c> API.</summary>
public sealed class DelightedOptions
{
    public const string Section = "Delighted";

    /// <summary>
    /// Requests per minute per API key (a token bucket refilled every second, so a burst of a full minute's worth is allowed).
    /// Delighted never published its numbers; clients only rely on the 429 and its <c>Retry-After</c>.
    /// </summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 1200;
}
