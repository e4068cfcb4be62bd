using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Promoter.Core;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Metrics;

/// <summary>
/// The query string every metrics endpoint shares, validated strictly: an unknown parameter, an undeclared
/// property, inverted dates or an absurd confidence level are a 400 naming the parameter, never a runaway query.
/// </summary>
public sealed record MetricsQuery(MetricsFilter Filter, DateOnly? From, DateOnly? To, ConfidenceMethod Method, double Level)
{
    public const int MaxYears = 20;
    private static readonly string[] Common = ["from", "to", "level", "method", "channel", "language", "touchpoint", "teamMember", "theme"];

    public static async Task<MetricsQuery> ParseAsync(IQueryCollection query, IReadOnlyList<Guid> surveyIds, PromoterDb db, FieldErrors errors,
        IReadOnlyCollection<string> extra, CancellationToken ct)
    {
        foreach (var key in query.Keys)
        {
            if (!Common.Contains(key) && !extra.Contains(key) && !key.StartsWith("filter.", StringComparison.Ordinal))
            {
                errors.Add(key, $"Unknown parameter. Use {string.Join(", ", Common.Concat(extra))} or filter.<property>.");
            }
        }

        var from = Date(query, "from", errors);
        var to = Date(query, "to", errors);
        if (from > to)
        {
            errors.Add("from", "'from' must not be after 'to'.");
        }

        if (from is { } f && to is { } t && t.DayNumber - f.DayNumber > MaxYears * 366)
        {
            errors.Add("to", $"Use a range of at most {MaxYears} years.");
        }

        var level = 0.95;
        if (One(query, "level", errors) is { } levelText)
        {
            if (!double.TryParse(levelText, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var percent) || !double.IsFinite(percent) || percent is < 80 or > 99.9)
            {
                errors.Add("level", "Use a confidence level in percent from 80 to 99.9, e.g. 90, 95 or 99.");
            }
            else
            {
                level = percent / 100;
            }
        }

        var method = ConfidenceMethod.AdjustedWald;
        if (One(query, "method", errors) is { } methodText && !ConfidenceMethods.TryParse(methodText, out method))
        {
            errors.Add("method", "Use adjusted-wald, wald or tango.");
        }

        var dimensions = new Dictionary<string, string>(StringComparer.Ordinal);
        void Dimension(string parameter, string dimension)
        {
            if (One(query, parameter, errors) is { } value)
            {
                if (value.Length is 0 or > 256)
                {
                    errors.Add(parameter, "Use 1 to 256 characters.");
                }
                else
                {
                    dimensions[dimension] = value;
                }
            }
        }

        Dimension("channel", Rollup.Channel);
        Dimension("language", Rollup.Language);
        Dimension("touchpoint", Rollup.Touchpoint);
        Dimension("teamMember", Rollup.Team);
        if (One(query, "theme", errors) is { } themeText)
        {
            if (!Guid.TryParse(themeText, CultureInfo.InvariantCulture, out var themeId) || !await db.Themes.AnyAsync(t => t.Id == themeId, ct))
            {
                errors.Add("theme", "Unknown theme: use the id of one of this workspace's themes (GET /api/v1/themes).");
            }
            else
            {
                dimensions[Rollup.Theme] = Understand.ThemeIndex.Value(themeId);
            }
        }

        var segments = await db.SegmentKeys.AsNoTracking().Select(s => s.Key).ToListAsync(ct);
        foreach (var key in query.Keys.Where(k => k.StartsWith("filter.", StringComparison.Ordinal)))
        {
            var property = key["filter.".Length..];
            if (!segments.Contains(property))
            {
                errors.Add(key, segments.Count == 0
                    ? "Unknown property: no segment properties are declared (PUT /api/v1/segments)."
                    : $"Unknown property. Declared segments: {string.Join(", ", segments)}.");
                continue;
            }

            Dimension(key, Rollup.PropertyPrefix + property);
        }

        var filter = new MetricsFilter(surveyIds, from is null ? null : WorkspaceCalendar.DayNumber(from.Value),
            to is null ? null : WorkspaceCalendar.DayNumber(to.Value), dimensions);
        return new MetricsQuery(filter, from, to, method, level);
    }

    /// <summary>HTML forms send empty fields; for the dashboard and its export links an empty filter means "any".</summary>
    public static IQueryCollection WithoutEmpty(IQueryCollection query) =>
        new QueryCollection(query.Where(q => q.Value.Any(v => !string.IsNullOrEmpty(v))).ToDictionary(q => q.Key, q => q.Value));

    public static string? One(IQueryCollection query, string key, FieldErrors errors)
    {
        if (!query.TryGetValue(key, out var values))
        {
            return null;
        }

        if (values.Count != 1)
        {
            errors.Add(key, "Give this parameter once.");
            return null;
        }

        return values[0];
    }

    public static DateOnly? Date(IQueryCollection query, string key, FieldErrors errors)
    {
        if (One(query, key, errors) is not { } text)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) || date.Year is < 1990 or > 2100)
        {
            errors.Add(key, "Use a date as yyyy-MM-dd (in the workspace's time zone), between 1990 and 2100.");
            return null;
        }

        return date;
    }
}
