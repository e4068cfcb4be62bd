using System.ComponentModel.DataAnnotations;

namespace Promoter.Distribution;

/// <summary>
/// The <c>Distribution</c> section: quiet hours in the contact's time zone, the recurring-send worker, and where the
/// <c>mailto:</c> unsubscribe goes.
/// </summary>
public sealed class DistributionOptions
{
    public const string Section = "Distribution";

    /// <summary>Local hour (0–23) from which no survey mail goes out; equal to <see cref="QuietHoursEnd"/> turns quiet hours off.</summary>
    [Range(0, 23)]
    public int QuietHoursStart { get; set; } = 21;

    /// <summary>Local hour (0–23) at which survey mail may go out again.</summary>
    [Range(0, 23)]
    public int QuietHoursEnd { get; set; } = 8;

    /// <summary>Mail held back by quiet hours goes out spread over this many minutes after they end, not all at once.</summary>
    [Range(0, 240)]
    public int QuietHoursSpreadMinutes { get; set; } = 30;

    /// <summary>Run the recurring-send worker (enrol contacts, invite those due) on this node.</summary>
    public bool RecurringEnabled { get; set; } = true;

    [Range(1, 3600)]
    public int RecurringPollSeconds { get; set; } = 60;

    /// <summary>
    /// The address in the <c>mailto:</c> form of <c>List-Unsubscribe</c>; empty means <c>Smtp:From</c>. Requests that
    /// arrive there are the relay operator's to process (the https form unsubscribes at once).
    /// </summary>
    public string? UnsubscribeMailbox { get; set; }

    public bool HasQuietHours => QuietHoursStart != QuietHoursEnd;
}
