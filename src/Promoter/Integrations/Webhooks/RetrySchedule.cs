using System.Net.Http.Headers;

namespace Promoter.Integrations.Webhooks;

/// <summary>
/// When to try a failed delivery again: Standard Webhooks' example schedule, ten attempts over about three days,
/// each delay varied by ±20 % so receivers recovering from an outage are not hit by every retry at once.
/// </summary>
public static class RetrySchedule
{
    /// <summary>The wait after attempt n (1-based); the attempt after the last delay is the final one.</summary>
    public static readonly IReadOnlyList<TimeSpan> Delays =
    [
        TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2), TimeSpan.FromHours(5),
        TimeSpan.FromHours(10), TimeSpan.FromHours(10), TimeSpan.FromHours(14), TimeSpan.FromHours(24),
    ];

    public const double Jitter = 0.2;

    /// <summary>A receiver may ask for a pause with Retry-After; no longer than the longest step, so the schedule still ends.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(24);

    public static int MaxAttempts => Delays.Count + 1;

    /// <summary>The delay after <paramref name="attempts"/> failed attempts, or null when none remain. <paramref name="random"/> is in [0, 1).</summary>
    public static TimeSpan? DelayAfter(int attempts, double random) =>
        attempts >= 1 && attempts <= Delays.Count ? Delays[attempts - 1] * (1 - Jitter + (2 * Jitter * random)) : null;

    /// <summary>How long the receiver asked us to wait, capped at <see cref="MaxRetryAfter"/>.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        var wait = header?.Delta ?? (header?.Date is { } date ? date - now : null);
        return wait is null ? null : TimeSpan.FromTicks(Math.Clamp(wait.Value.Ticks, 0, MaxRetryAfter.Ticks));
    }
}
