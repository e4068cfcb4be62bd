namespace Promoter.Distribution.Recurring;

/// <summary>
/// Where in a cycle of N days each contact of a recurring send falls. The n-th contact enrolled gets the fraction
/// frac(n / φ) of the cycle (the golden-ratio sequence): any number of contacts, enrolled in any order, lands spread
/// almost evenly over the days, and contacts added later fill the gaps instead of piling onto one day. Within a day
/// the slot falls inside the sending window (outside quiet hours) of the contact's own time zone.
/// </summary>
public static class RecurringSlots
{
    private const double InverseGoldenRatio = 0.6180339887498949;

    /// <summary>The position of contact <paramref name="sequence"/> in the cycle, in [0, 1).</summary>
    public static double Fraction(int sequence)
    {
        var x = sequence * InverseGoldenRatio;
        return x - Math.Floor(x);
    }

    /// <summary>The contact's first due time: their slot in the cycle that starts on the send's first local day, moved a cycle on if it is over a day past.</summary>
    public static DateTime FirstDue(DateTime cycleStartUtc, int everyDays, int sequence, TimeZoneInfo zone, DistributionOptions options, DateTime nowUtc)
    {
        var startDay = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(cycleStartUtc, DateTimeKind.Utc), zone).Date;
        var offset = Fraction(sequence) * everyDays;
        var day = Math.Floor(offset);
        var (windowStart, windowHours) = Window(options);
        var local = startDay.AddDays(day).AddHours(windowStart + ((offset - day) * windowHours));
        var due = QuietHours.ToUtc(local, zone);
        while (due < nowUtc - TimeSpan.FromDays(1))
        {
            due = Next(due, everyDays, zone);
        }

        return due < nowUtc ? nowUtc : due;
    }

    /// <summary>The same local time <paramref name="everyDays"/> days later (DST-proof: local days, not 24-hour blocks).</summary>
    public static DateTime Next(DateTime dueUtc, int everyDays, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(dueUtc, DateTimeKind.Utc), zone);
        return QuietHours.ToUtc(local.AddDays(everyDays), zone);
    }

    /// <summary>The sending window: from the end of quiet hours to their start, or the whole day without them.</summary>
    private static (double Start, double Hours) Window(DistributionOptions options)
    {
        if (!options.HasQuietHours)
        {
            return (0, 24);
        }

        var hours = (options.QuietHoursStart - options.QuietHoursEnd + 24) % 24;
        return (options.QuietHoursEnd, hours);
    }
}
