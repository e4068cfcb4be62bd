namespace Promoter.Metrics;

public enum TrendInterval
{
    Day,
    Week,
    Month,
    Quarter,
}

/// <summary>Calendar periods over local days: ISO weeks start on Monday; months and quarters are calendar ones.</summary>
public static class Periods
{
    public const int MaxPeriods = 1000;

    public static bool TryParse(string? text, out TrendInterval interval)
    {
        interval = TrendInterval.Week;
        switch (text)
        {
            case "day": interval = TrendInterval.Day; return true;
            case "week" or null: interval = TrendInterval.Week; return true;
            case "month": interval = TrendInterval.Month; return true;
            case "quarter": interval = TrendInterval.Quarter; return true;
            default: return false;
        }
    }

    public static DateOnly StartOf(DateOnly date, TrendInterval interval) => interval switch
    {
        TrendInterval.Day => date,
        TrendInterval.Week => date.AddDays(-(((int)date.DayOfWeek + 6) % 7)),
        TrendInterval.Month => new DateOnly(date.Year, date.Month, 1),
        TrendInterval.Quarter => new DateOnly(date.Year, ((date.Month - 1) / 3 * 3) + 1, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(interval)),
    };

    public static DateOnly Next(DateOnly start, TrendInterval interval) => interval switch
    {
        TrendInterval.Day => start.AddDays(1),
        TrendInterval.Week => start.AddDays(7),
        TrendInterval.Month => start.AddMonths(1),
        TrendInterval.Quarter => start.AddMonths(3),
        _ => throw new ArgumentOutOfRangeException(nameof(interval)),
    };

    /// <summary>The periods that cover [from, to], each clipped to the range: (start, inclusive end).</summary>
    public static List<(DateOnly Start, DateOnly End)> Cover(DateOnly from, DateOnly to, TrendInterval interval)
    {
        var result = new List<(DateOnly, DateOnly)>();
        for (var start = StartOf(from, interval); start <= to && result.Count <= MaxPeriods; start = Next(start, interval))
        {
            var end = Next(start, interval).AddDays(-1);
            result.Add((start < from ? from : start, end > to ? to : end));
        }

        return result;
    }

    public static int Count(DateOnly from, DateOnly to, TrendInterval interval) => Cover(from, to, interval).Count;
}
