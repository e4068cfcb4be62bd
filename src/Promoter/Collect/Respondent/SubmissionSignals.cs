namespace Promoter.Collect.Respondent;

/// <summary>
/// Weak signs that an anonymous answer was sent by a script rather than a person. None refuses an answer alone: a
/// person on a phone taps 10 and Next in under a second, and a privacy proxy strips headers. Together they stop the
/// cheap bot that posts straight to the form. The honeypot (a silent drop), the signed form ticket (one page view,
/// one response) and the per-network rate limits do the rest.
/// </summary>
public static class SubmissionSignals
{
    /// <summary>Sooner than this after the page was rendered is quick: a signal, never alone a refusal.</summary>
    public static readonly TimeSpan QuickFill = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Whether to send the page back ("That was quick!") instead of recording: a quick answer that also carries a
    /// sign of a script. Quick alone, or header signs alone (a slow post through a privacy proxy), are recorded.
    /// </summary>
    public static bool LooksScripted(HttpRequest request, TimeSpan sinceRender)
    {
        if (sinceRender >= QuickFill)
        {
            return false;
        }

        // Every current browser sends Origin with a form post (and Sec-Fetch-Site where the site is secure); an HTTP
        // library sends neither unless told to.
        var noBrowserFetch = !request.Headers.ContainsKey("Origin") && !request.Headers.ContainsKey("Sec-Fetch-Site");
        // Every browser's User-Agent starts with "Mozilla/"; curl's, python's and an empty one do not.
        var noBrowserAgent = !request.Headers.UserAgent.ToString().StartsWith("Mozilla/", StringComparison.Ordinal);
        return noBrowserFetch || noBrowserAgent;
    }
}
