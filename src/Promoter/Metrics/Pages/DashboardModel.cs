using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Platform;
using Promoter.Understand;

namespace Promoter.Metrics.Pages;

/// <summary>
/// The NPS dashboard: headline with interval and change, trend with confidence band and control limits, shares,
/// the 0..10 histogram, a breakdown (team-member leaderboard by default), benchmark and target, latest comments.
/// Every filter is in the URL, so a view can be shared; viewers see everything and change nothing.
/// </summary>
[Authorize]
public sealed class DashboardModel(PromoterDb db, MetricsReports reports, BenchmarkCatalog benchmarks, WhyReports why) : PageModel
{
    public const int DefaultDays = 90;
    /// <summary>Terms per side in the Why section (each with up to three example comments).</summary>
    public const int WhyTerms = 10;

    /// <summary>The dashboard's own parameters besides the metrics filters (the exports accept and ignore them).</summary>
    public static readonly string[] ViewParameters = ["survey", "interval", "by", "whyLanguage"];

    public sealed record SurveyOption(Guid Id, string Name);

    public sealed record Comment(long Id, int Score, string Text, DateTime At, string Language);

    public IReadOnlyList<SurveyOption> Surveys { get; private set; } = [];
    public Guid? SurveyId { get; private set; }
    public IReadOnlyList<string> Segments { get; private set; } = [];
    public IReadOnlyList<string> Errors { get; private set; } = [];
    public DateOnly From { get; private set; }
    public DateOnly To { get; private set; }
    public DateOnly PreviousFrom { get; private set; }
    public DateOnly PreviousTo { get; private set; }
    public TrendInterval Interval { get; private set; } = TrendInterval.Week;
    public string By { get; private set; } = "teamMember";
    public MetricsQuery Query { get; private set; } = null!;
    public NpsReport Headline { get; private set; } = null!;
    public CompareReport Change { get; private set; } = null!;
    public TrendReport Trend { get; private set; } = null!;
    public BreakdownReport Breakdown { get; private set; } = null!;
    public StandingReport? Standing { get; private set; }
    public IReadOnlyList<Comment> Comments { get; private set; } = [];
    public string ChartData { get; private set; } = "{}";
    public bool HasData => Headline.Summary.N > 0;

    /// <summary>The Why section's pipeline language (en, sv, mk, ar, th), or null for all; not the response-language filter.</summary>
    public string? WhyLanguage { get; private set; }
    public WordsReport Words { get; private set; } = null!;
    public ThemesReport Themes { get; private set; } = null!;
    public (Guid Id, string Name)? ActiveTheme { get; private set; }
    public IndexingProgress Progress { get; private set; } = new(null, 0);
    public string WordsChartData { get; private set; } = "{}";

    public string Value(string key) => Request.Query.TryGetValue(key, out var v) ? v.ToString() : "";

    public static string Points(double? value) => value is { } v ? v.ToString("+0.0;−0.0;0.0", CultureInfo.InvariantCulture) : "–";

    /// <summary>A signed whole number with a real minus sign (U+2212): "−73", "+44", "0".</summary>
    public static string Whole(double value) => Math.Round(value, MidpointRounding.AwayFromZero).ToString("+0;−0;0", CultureInfo.InvariantCulture);

    /// <summary>An interval as the range it is, "−72.7 to +44.2": the adjusted-Wald interval is not centred on the raw NPS.</summary>
    public static string Range(IntervalDto? ci) => ci is null ? "–" : $"{Points(ci.Low)} to {Points(ci.High)}";

    /// <summary>The margin of error only means something when the interval is symmetric around the NPS shown.</summary>
    public static bool IsSymmetric(NpsSummary summary) =>
        summary is { Nps: { } nps, Ci: { } ci, MarginOfError: not null } && Math.Abs((nps - ci.Low) - (ci.High - nps)) < 0.05;

    /// <summary>The interval in one plain sentence: "With 4 answers, the true NPS is likely between −73 and +44."</summary>
    public static string IntervalSentence(NpsSummary summary) => summary.Ci is { } ci
        ? $"With {summary.N.ToString("N0", CultureInfo.InvariantCulture)} {(summary.N == 1 ? "answer" : "answers")}, the true NPS is likely between {Whole(ci.Low)} and {Whole(ci.High)} "
          + $"({ci.Level.ToString("0.#", CultureInfo.InvariantCulture)}% confidence, {MethodLabel(ci.Method)} interval)."
        : "No answers yet, so no interval.";

    /// <summary>Confidence methods as people write them, not as the API spells them.</summary>
    public static string MethodLabel(string method) => method switch
    {
        "adjusted-wald" => "adjusted Wald",
        "wald" => "Wald",
        "tango" => "Tango",
        _ => method,
    };

    /// <summary>Breakdown dimensions as labels: teamMember → "Team member"; a workspace's own property keys as they are.</summary>
    public static string DimensionLabel(string key) => key switch
    {
        "teamMember" => "Team member",
        "channel" => "Channel",
        "language" => "Language",
        "touchpoint" => "Touchpoint",
        _ => key,
    };

    public static string Percent(double? share) => share is { } s ? (s * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%" : "–";

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!User.HasScope(Scopes.MetricsRead))
        {
            return Forbid();
        }

        Surveys = await db.Surveys.AsNoTracking().OrderBy(s => s.Name).Select(s => new SurveyOption(s.Id, s.Name)).ToListAsync(ct);
        if (Surveys.Count == 0)
        {
            return Redirect("/welcome");
        }

        Segments = await db.SegmentKeys.AsNoTracking().OrderBy(s => s.Key).Select(s => s.Key).ToListAsync(ct);
        var errors = new FieldErrors();
        var parameters = MetricsQuery.WithoutEmpty(Request.Query);
        SurveyId = Guid.TryParse(MetricsQuery.One(parameters, "survey", errors), out var chosen) && Surveys.Any(s => s.Id == chosen) ? chosen : null;
        IReadOnlyList<Guid> ids = SurveyId is { } one ? [one] : Surveys.Select(s => s.Id).ToList();
        var query = await MetricsQuery.ParseAsync(parameters, ids, db, errors, ViewParameters, ct);
        if (!Periods.TryParse(MetricsQuery.One(parameters, "interval", errors), out var interval))
        {
            errors.Add("interval", "Use day, week, month or quarter.");
        }

        // The Why section's language goes through the words API's own parsing, under the dashboard's name for it.
        var whyErrors = new FieldErrors();
        var whyOptions = WordsOptions.Parse(new QueryCollection(new Dictionary<string, Microsoft.Extensions.Primitives.StringValues>
        {
            ["language"] = MetricsQuery.One(parameters, "whyLanguage", errors) ?? "",
        }), whyErrors);
        if (whyErrors.Any)
        {
            errors.Add("whyLanguage", $"Use one of {string.Join(", ", Core.Text.TextLanguages.Supported)}.");
        }

        By = MetricsQuery.One(parameters, "by", errors) is { } by && (by is "channel" or "language" or "touchpoint" or "teamMember" || Segments.Contains(by)) ? by : "teamMember";
        if (errors.Any)
        {
            // Bad parameters in a shared link: say so and show the default view rather than nothing.
            Errors = ErrorsOf(errors);
            query = await MetricsQuery.ParseAsync(new QueryCollection(), ids, db, new FieldErrors(), ViewParameters, ct);
            interval = TrendInterval.Week;
            whyOptions = WordsOptions.Parse(new QueryCollection(), new FieldErrors());
        }

        To = query.To ?? await reports.TodayAsync(ct);
        From = query.From ?? To.AddDays(-(DefaultDays - 1));
        if (Periods.Count(From, To, interval) > Periods.MaxPeriods)
        {
            interval = TrendInterval.Month;
        }

        Interval = interval;
        var length = To.DayNumber - From.DayNumber + 1;
        PreviousTo = From.AddDays(-1);
        PreviousFrom = PreviousTo.AddDays(-(length - 1));
        Query = query with
        {
            From = From,
            To = To,
            Filter = query.Filter.WithDays(WorkspaceCalendar.DayNumber(From), WorkspaceCalendar.DayNumber(To)),
        };

        Headline = await reports.NpsAsync(Query, ct);
        Change = await reports.CompareAsync(Query, PreviousFrom, PreviousTo, ct);
        Trend = await reports.TrendAsync(Query, Interval, ct);
        var dimension = By switch
        {
            "channel" => Rollup.Channel,
            "language" => Rollup.Language,
            "touchpoint" => Rollup.Touchpoint,
            "teamMember" => Rollup.Team,
            _ => Rollup.PropertyPrefix + By,
        };
        var breakdownQuery = Query.Filter.Dimensions.ContainsKey(dimension)
            ? Query with { Filter = Query.Filter with { Dimensions = Query.Filter.Dimensions.Where(d => d.Key != dimension).ToDictionary() } }
            : Query;
        Breakdown = await reports.BreakdownAsync(breakdownQuery, By, dimension, ct,
            ReferenceEquals(breakdownQuery, Query) ? Histogram.From(Headline.Summary.Distribution) : null);
        if (SurveyId is { } surveyId)
        {
            var survey = await db.Surveys.AsNoTracking().SingleAsync(s => s.Id == surveyId, ct);
            Standing = await BenchmarksApi.StandingAsync(survey, Query, db, reports, benchmarks, ct);
        }

        Comments = await LatestCommentsAsync(ids, ct);
        await LoadWhyAsync(whyOptions, ct);
        ChartData = JsonSerializer.Serialize(new
        {
            labels = Trend.Periods.Select(p => p.Start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            nps = Trend.Periods.Select(p => p.Summary.Nps),
            low = Trend.Periods.Select(p => p.Summary.Ci?.Low),
            high = Trend.Periods.Select(p => p.Summary.Ci?.High),
            lower = Trend.Periods.Select(p => p.ControlLimits?.Lower),
            upper = Trend.Periods.Select(p => p.ControlLimits?.Upper),
            outOfControl = Trend.Periods.Select(p => p.OutOfControl),
            movingAverage = Trend.Periods.Select(p => p.MovingAverage),
            distribution = Headline.Summary.Distribution,
        });
        return Page();
    }

    /// <summary>
    /// The Why section: terms for the whole view (the theme filter included), themes over the view without the theme filter
    /// (so the list still compares every theme while one is chosen), and the indexing progress.
    /// </summary>
    private async Task LoadWhyAsync(WordsOptions options, CancellationToken ct)
    {
        WhyLanguage = options.Language;
        Words = await why.WordsAsync(Query, options.Language, options.Compare, options.Keyness, WhyTerms, examples: User.HasScope(Scopes.ResponsesRead), ct);
        var withoutTheme = Query with { Filter = Query.Filter with { Dimensions = Query.Filter.Dimensions.Where(d => d.Key != Rollup.Theme).ToDictionary() } };
        Themes = await why.ThemesAsync(withoutTheme, ct);
        if (Query.Filter.Dimensions.ContainsKey(Rollup.Theme) && Guid.TryParse(Value("theme"), out var themeId))
        {
            ActiveTheme = (themeId, Themes.Themes.FirstOrDefault(t => t.Id == themeId)?.Name ?? "theme");
        }

        Progress = await UnderstandApi.ProgressAsync(db, ct);
        var ordered = Words.Terms.OrderByDescending(t => t.Zeta).ToList();
        WordsChartData = JsonSerializer.Serialize(new
        {
            labels = ordered.Select(t => t.Term),
            zeta = ordered.Select(t => Math.Round(t.Zeta, 2)),
            detractor = ordered.Select(t => t.Category == "detractors"),
        });
    }

    /// <summary>The plain-language reading of a theme's impact on NPS.</summary>
    public string ImpactHint(ThemeRow theme)
    {
        if (theme.Impact is not { } impact)
        {
            return theme.Summary.N == 0 ? $"No responses mention {theme.Name} in this view." : $"Every response in this view mentions {theme.Name}: there is nothing to compare with.";
        }

        var interval = theme.ImpactInterval is { } ci
            ? $" ({ci.Level.ToString("0.#", CultureInfo.InvariantCulture)}% interval {Decimal1(ci.Low)} to {Decimal1(ci.High)})"
            : "";
        var size = Math.Abs(impact).ToString("0.#", CultureInfo.InvariantCulture);
        return Math.Abs(impact) < 0.05
            ? $"Responses mentioning {theme.Name} leave NPS where it is{interval}."
            : $"Responses mentioning {theme.Name} {(impact < 0 ? "pull NPS down" : "lift NPS")} by {size} {(size == "1" ? "point" : "points")}{interval}.";
    }

    /// <summary>Whether the impact's interval excludes zero.</summary>
    public static bool ImpactIsClear(ThemeRow theme) => theme.ImpactInterval is { } ci && (ci.Low > 0 || ci.High < 0);

    public static string Decimal1(double value) => value.ToString("0.0;−0.0;0.0", CultureInfo.InvariantCulture);

    /// <summary>Arabic is right-to-left whatever the browser guesses from the first letter; other scripts follow their text.</summary>
    public static string Direction(string language) => language == "ar" ? "rtl" : "auto";

    private async Task<IReadOnlyList<Comment>> LatestCommentsAsync(IReadOnlyList<Guid> ids, CancellationToken ct)
    {
        var list = ids.ToList();
        var calendar = await HttpContext.RequestServices.GetRequiredService<MetricsEngine>().CalendarAsync(ct);
        var start = calendar.StartOf(WorkspaceCalendar.DayNumber(From));
        var end = calendar.StartOf(WorkspaceCalendar.DayNumber(To) + 1);
        var query = db.Responses.AsNoTracking()
            .Where(r => list.Contains(r.SurveyId) && r.Status == ResponseStatus.Final && r.Comment != null && r.RespondedAt >= start && r.RespondedAt < end);
        foreach (var (dim, value) in Query.Filter.Dimensions)
        {
            query = dim switch
            {
                Rollup.Channel => query.Where(r => r.Channel == value),
                Rollup.Language => query.Where(r => r.Language == value),
                Rollup.Touchpoint => query.Where(r => r.Touchpoint == value),
                Rollup.Team => query.Where(r => r.TeamMember == value),
                _ => query,
            };
        }

        return await query.OrderByDescending(r => r.RespondedAt).Take(12)
            .Select(r => new Comment(r.Id, r.Score, r.Comment!, r.RespondedAt, r.Language)).ToListAsync(ct);
    }

    private static List<string> ErrorsOf(FieldErrors errors)
    {
        try
        {
            errors.ThrowIfAny();
            return [];
        }
        catch (RequestValidationException e)
        {
            return e.Errors.SelectMany(x => x.Value.Select(m => $"{x.Key}: {m}")).ToList();
        }
    }

    /// <summary>The current URL with one parameter changed, for links that keep every other filter.</summary>
    public string With(string key, string? value)
    {
        var pairs = Request.Query.Where(q => q.Key != key).SelectMany(q => q.Value.Select(v => (q.Key, v))).ToList();
        if (!string.IsNullOrEmpty(value))
        {
            pairs.Add((key, value));
        }

        return "/?" + string.Join("&", pairs.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Item2 ?? "")}"));
    }
}
