namespace Promoter.Metrics;

/// <summary>
/// A workspace's local calendar: its time zone's offset history as a sorted list (the same rows the rollup triggers
/// read from <c>tz_offsets</c>), turning UTC instants into local days and local days into UTC ranges.
/// </summary>
public sealed class WorkspaceCalendar
{
    public const int FirstYear = 1990;
    public const int LastYear = 2100;
    private readonly long[] _from;
    private readonly int[] _offset;

    public WorkspaceCalendar(IReadOnlyList<(long FromUnix, int OffsetSeconds)> transitions)
    {
        if (transitions.Count == 0)
        {
            transitions = [(long.MinValue, 0)];
        }

        _from = transitions.Select(t => t.FromUnix).ToArray();
        _offset = transitions.Select(t => t.OffsetSeconds).ToArray();
    }

    public static WorkspaceCalendar Utc { get; } = new([(long.MinValue, 0)]);

    public static WorkspaceCalendar For(TimeZoneInfo zone) => new(Transitions(zone));

    /// <summary>
    /// Every change of UTC offset between <see cref="FirstYear"/> and <see cref="LastYear"/>, found by scanning days and
    /// bisecting to the second where the offset changes.
    /// </summary>
    public static List<(long FromUnix, int OffsetSeconds)> Transitions(TimeZoneInfo zone)
    {
        static int OffsetAt(TimeZoneInfo z, long unix) => (int)z.GetUtcOffset(DateTimeOffset.FromUnixTimeSeconds(unix)).TotalSeconds;

        var start = new DateTimeOffset(FirstYear, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var end = new DateTimeOffset(LastYear, 12, 31, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var result = new List<(long, int)> { (long.MinValue, OffsetAt(zone, start)) };
        var previous = result[0].Item2;
        for (var t = start; t < end; t += 86_400)
        {
            var next = OffsetAt(zone, t + 86_400);
            if (next == previous)
            {
                continue;
            }

            long lo = t, hi = t + 86_400; // offset(lo) == previous, offset(hi) == next
            while (hi - lo > 1)
            {
                var mid = lo + ((hi - lo) / 2);
                if (OffsetAt(zone, mid) == previous)
                {
                    lo = mid;
                }
                else
                {
                    hi = mid;
                }
            }

            result.Add((hi, next));
            previous = next;
        }

        return result;
    }

    public int OffsetAt(long unix)
    {
        var i = Array.BinarySearch(_from, unix);
        return _offset[i >= 0 ? i : Math.Max(0, ~i - 1)];
    }

    /// <summary>Days since 1970-01-01 in local time (what the triggers compute).</summary>
    public int DayOf(DateTime utc)
    {
        var unix = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeSeconds();
        return (int)Math.Floor((unix + OffsetAt(unix)) / 86_400.0);
    }

    public static int DayNumber(DateOnly date) => date.DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    /// <summary>The local day number of the first day of the month containing <paramref name="day"/>.</summary>
    public static int MonthStart(int day)
    {
        var date = DateOf(day);
        return DayNumber(new DateOnly(date.Year, date.Month, 1));
    }

    /// <summary>The day number of the first day of the month after the one containing <paramref name="day"/>.</summary>
    public static int NextMonth(int day) => DayNumber(DateOf(MonthStart(day)).AddMonths(1));

    /// <summary>
    /// Splits an inclusive day range (either end may be open) into the pieces that rollup tables with a daily row and a
    /// monthly twin answer best: the whole months, read from the monthly rows (<c>From</c>/<c>To</c> are then first days
    /// of months), and the partial months at either end, read from the daily rows. At most three pieces.
    /// </summary>
    public static List<(bool Monthly, int? From, int? To)> MonthlySegments(int? from, int? to)
    {
        var firstMonth = from is { } f ? (f == MonthStart(f) ? f : NextMonth(f)) : (int?)null;
        var lastMonthEnd = to is { } t ? (NextMonth(t) - 1 == t ? t : MonthStart(t) - 1) : (int?)null;
        if (firstMonth > lastMonthEnd)
        {
            return [(false, from, to)];
        }

        var segments = new List<(bool, int?, int?)> { (true, firstMonth, lastMonthEnd is { } e ? MonthStart(e) : null) };
        if (from is { } start && firstMonth > start)
        {
            segments.Add((false, start, firstMonth - 1));
        }

        if (to is { } end && lastMonthEnd < end)
        {
            segments.Add((false, lastMonthEnd + 1, end));
        }

        return segments;
    }

    public static DateOnly DateOf(int day) => DateOnly.FromDayNumber(DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber + day);

    /// <summary>The UTC instant local midnight starts the given local day.</summary>
    public DateTime StartOf(int day)
    {
        var localMidnight = (long)day * 86_400;
        var guess = localMidnight - OffsetAt(localMidnight);
        var refined = localMidnight - OffsetAt(guess);
        return DateTime.UnixEpoch.AddSeconds(refined);
    }
}
