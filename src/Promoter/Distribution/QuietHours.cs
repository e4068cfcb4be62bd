namespace Promoter.Distribution;

/// <summary>
/// No survey mail between <see cref="DistributionOptions.QuietHoursStart"/> and <see cref="DistributionOptions.QuietHoursEnd"/>
/// in the contact's time zone (their own, else the workspace's, else UTC). A time inside them moves to their end plus a
/// stable per-invitation offset, so a night's triggers do not all leave at 08:00:00.
/// </summary>
public static class QuietHours
{
    public static TimeZoneInfo ZoneOf(string? contactZone, string? workspaceZone)
    {
        foreach (var id in new[] { contactZone, workspaceZone })
        {
            if (!string.IsNullOrEmpty(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone))
            {
                return zone;
            }
        }

        return TimeZoneInfo.Utc;
    }

    public static bool IsQuiet(DateTime utc, TimeZoneInfo zone, DistributionOptions options)
    {
        if (!options.HasQuietHours)
        {
            return false;
        }

        var hour = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(utc, DateTimeKind.Utc), zone).Hour;
        return options.QuietHoursStart < options.QuietHoursEnd
            ? hour >= options.QuietHoursStart && hour < options.QuietHoursEnd
            : hour >= options.QuietHoursStart || hour < options.QuietHoursEnd;
    }

    /// <summary><paramref name="utc"/> itself when it is outside quiet hours; else when they end locally, plus the spread for <paramref name="key"/>.</summary>
    public static DateTime NextAllowed(DateTime utc, TimeZoneInfo zone, DistributionOptions options, Guid key)
    {
        utc = DateTime.SpecifyKind(utc, DateTimeKind.Utc);
        if (!IsQuiet(utc, zone, options))
        {
            return utc;
        }

        var local = TimeZoneInfo.ConvertTimeFromUtc(utc, zone);
        var endDay = local.Hour >= options.QuietHoursEnd ? local.Date.AddDays(1) : local.Date;
        var end = ToUtc(endDay.AddHours(options.QuietHoursEnd), zone);
        return end + Spread(key, options);
    }

    /// <summary>A local wall-clock time in UTC; a time skipped by a DST change moves forward by the gap.</summary>
    public static DateTime ToUtc(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return TimeZoneInfo.ConvertTimeToUtc(local, zone);
    }

    private static TimeSpan Spread(Guid key, DistributionOptions options)
    {
        if (options.QuietHoursSpreadMinutes == 0)
        {
            return TimeSpan.Zero;
        }

        Span<byte> bytes = stackalloc byte[16];
        key.TryWriteBytes(bytes);
        var seconds = BitConverter.ToUInt32(bytes[12..]) % (uint)(options.QuietHoursSpreadMinutes * 60);
        return TimeSpan.FromSeconds(seconds);
    }
}
