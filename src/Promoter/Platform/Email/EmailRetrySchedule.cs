namespace Promoter.Platform.Email;

/// <summary>
/// When to try a mail again after a temporary failure (4xx, timeout, no connection): quickly at first, for greylisting
/// that accepts the second try after a minute, then every six hours until the mail expires. Each delay varies by ±20 %
/// so a relay coming back from an outage is not hit by everything at once.
/// </summary>
public static class EmailRetrySchedule
{
    public static readonly IReadOnlyList<TimeSpan> Delays =
    [
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(6),
    ];

    public const double Jitter = 0.2;

    /// <summary>The wait after <paramref name="attempts"/> failed attempts (1-based); <paramref name="random"/> is in [0, 1).</summary>
    public static TimeSpan DelayAfter(int attempts, double random) =>
        Delays[Math.Clamp(attempts, 1, Delays.Count) - 1] * (1 - Jitter + (2 * Jitter * random));
}
