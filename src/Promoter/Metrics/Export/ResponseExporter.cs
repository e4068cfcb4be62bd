using System.Globalization;
using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Core;
using Promoter.Data;
using Promoter.Platform;
using Promoter.Platform.Csv;

namespace Promoter.Metrics.Export;

/// <summary>
/// Responses out to CSV or XLSX, filtered like the dashboard, streamed row by row so a million rows need no more
/// memory than ten. Declared segment properties get their own columns; all properties are also kept as JSON; the
/// response's themes (names, "; "-separated, as the text indexer tagged them) have a column too.
/// </summary>
public sealed class ResponseExporter(PromoterDb db, MetricsEngine engine)
{
    private static readonly string[] Fixed =
        ["id", "survey_id", "survey", "responded_at", "score", "category", "comment", "language", "channel", "team_member", "touchpoint", "contact_email", "contact_name", "themes"];

    /// <summary>Rows read per query: keyset pages keep memory flat and let each page's themes come in one query.</summary>
    private const int Page = 5_000;

    private sealed record Line(long Id, Guid SurveyId, string Survey, DateTime RespondedAt, short Score, string? Comment, string Language, string Channel,
        string? TeamMember, string? Touchpoint, string? Email, string? Name, string? Properties)
    {
        public string? Themes { get; set; }
    }

    public async Task<long> WriteCsvAsync(TextWriter output, MetricsFilter filter, IProgress<long>? progress, CancellationToken ct)
    {
        var segments = await SegmentsAsync(ct);
        var csv = new CsvWriter(output);
        foreach (var header in Fixed.Concat(segments).Append("properties"))
        {
            csv.Raw(header);
        }

        csv.EndRecord();
        long count = 0;
        await foreach (var (line, properties) in RowsAsync(filter, ct))
        {
            csv.Number(line.Id);
            csv.Raw(line.SurveyId.ToString());
            csv.Field(line.Survey);
            csv.Raw(line.RespondedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            csv.Number(line.Score);
            csv.Raw(NpsCategories.Of(line.Score).ToString().ToLowerInvariant());
            csv.Field(line.Comment);
            csv.Field(line.Language);
            csv.Field(line.Channel);
            csv.Field(line.TeamMember);
            csv.Field(line.Touchpoint);
            csv.Field(line.Email);
            csv.Field(line.Name);
            csv.Field(line.Themes);
            foreach (var key in segments)
            {
                csv.Field(properties.GetValueOrDefault(key));
            }

            csv.Field(line.Properties);
            csv.EndRecord();
            if (++count % 10_000 == 0)
            {
                progress?.Report(count);
            }
        }

        progress?.Report(count);
        return count;
    }

    public async Task<long> WriteXlsxAsync(Stream output, MetricsFilter filter, IProgress<long>? progress, CancellationToken ct)
    {
        var segments = await SegmentsAsync(ct);
        // A spreadsheet date has no time zone: the cell holds the workspace's local time (the dashboard's days), and
        // the header says which zone that is. The CSV keeps ISO-8601 UTC, which carries its own offset.
        var calendar = await engine.CalendarAsync(ct);
        var zone = await db.Workspaces.AsNoTracking().Where(w => w.Id == db.Workspace.RequiredWorkspaceId).Select(w => w.TimeZone).SingleAsync(ct);
        long count = 0;
        await using (var xlsx = new XlsxWriter(output))
        {
            xlsx.BeginRow();
            foreach (var header in Fixed.Concat(segments).Append("properties"))
            {
                xlsx.Text(header == "responded_at" ? $"responded_at ({zone})" : header);
            }

            xlsx.EndRow();
            await foreach (var (line, properties) in RowsAsync(filter, ct))
            {
                xlsx.BeginRow();
                xlsx.Number(line.Id);
                xlsx.Text(line.SurveyId.ToString());
                xlsx.Text(line.Survey);
                xlsx.DateTime(Local(calendar, line.RespondedAt));
                xlsx.Number(line.Score);
                xlsx.Text(NpsCategories.Of(line.Score).ToString().ToLowerInvariant());
                xlsx.Text(line.Comment);
                xlsx.Text(line.Language);
                xlsx.Text(line.Channel);
                xlsx.Text(line.TeamMember);
                xlsx.Text(line.Touchpoint);
                xlsx.Text(line.Email);
                xlsx.Text(line.Name);
                xlsx.Text(line.Themes);
                foreach (var key in segments)
                {
                    xlsx.Text(properties.GetValueOrDefault(key));
                }

                xlsx.Text(line.Properties);
                xlsx.EndRow();
                if (++count % 10_000 == 0)
                {
                    progress?.Report(count);
                }
            }
        }

        progress?.Report(count);
        return count;
    }

    private static DateTime Local(WorkspaceCalendar calendar, DateTime utc)
    {
        var unix = new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToUnixTimeSeconds();
        return DateTime.SpecifyKind(utc.AddSeconds(calendar.OffsetAt(unix)), DateTimeKind.Unspecified);
    }

    private Task<List<string>> SegmentsAsync(CancellationToken ct) => db.SegmentKeys.AsNoTracking().OrderBy(s => s.Key).Select(s => s.Key).ToListAsync(ct);

    private async IAsyncEnumerable<(Line Line, Dictionary<string, string> Properties)> RowsAsync(MetricsFilter filter, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        var calendar = await engine.CalendarAsync(ct);
        var ids = filter.SurveyIds.ToList();
        var query = db.Responses.AsNoTracking().Where(r => r.Status == ResponseStatus.Final && ids.Contains(r.SurveyId));
        if (filter.FromDay is { } from)
        {
            var start = calendar.StartOf(from);
            query = query.Where(r => r.RespondedAt >= start);
        }

        if (filter.ToDay is { } to)
        {
            var end = calendar.StartOf(to + 1);
            query = query.Where(r => r.RespondedAt < end);
        }

        var propertyFilters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (dim, value) in filter.Dimensions)
        {
            if (dim == Rollup.Theme)
            {
                var themeId = Guid.Parse(value, CultureInfo.InvariantCulture);
                query = query.Where(r => db.ResponseThemes.Any(t => t.ResponseId == r.Id && t.ThemeId == themeId));
                continue;
            }

            query = dim switch
            {
                Rollup.Channel => query.Where(r => r.Channel == value),
                Rollup.Language => query.Where(r => r.Language == value),
                Rollup.Touchpoint => query.Where(r => r.Touchpoint == value),
                Rollup.Team => query.Where(r => r.TeamMember == value),
                _ => query,
            };
            if (dim.StartsWith(Rollup.PropertyPrefix, StringComparison.Ordinal))
            {
                propertyFilters[dim[Rollup.PropertyPrefix.Length..]] = value;
            }
        }

        var themeNames = await db.Themes.AsNoTracking().ToDictionaryAsync(t => t.Id, t => t.Name, ct);
        var last = 0L;
        while (true)
        {
            var after = last;
            var page = await (from r in query.Where(r => r.Id > after).OrderBy(r => r.Id).Take(Page)
                              join s in db.Surveys on r.SurveyId equals s.Id
                              join c in db.Contacts on r.ContactId equals c.Id into contacts
                              from c in contacts.DefaultIfEmpty()
                              orderby r.Id
                              select new Line(r.Id, r.SurveyId, s.Name, r.RespondedAt, r.Score, r.Comment, r.Language, r.Channel, r.TeamMember, r.Touchpoint,
                                  c == null ? null : c.Email, c == null ? null : c.Name, r.Properties)).ToListAsync(ct);
            if (page.Count == 0)
            {
                yield break;
            }

            last = page[^1].Id;
            if (themeNames.Count > 0)
            {
                var (first, end) = (page[0].Id, last);
                var tags = await db.ResponseThemes.AsNoTracking().Where(t => t.ResponseId >= first && t.ResponseId <= end).ToListAsync(ct);
                var byResponse = tags.GroupBy(t => t.ResponseId).ToDictionary(g => g.Key,
                    g => string.Join("; ", g.Select(t => themeNames.GetValueOrDefault(t.ThemeId)).Where(n => n is not null).Order(StringComparer.Ordinal)));
                foreach (var line in page)
                {
                    line.Themes = byResponse.GetValueOrDefault(line.Id);
                }
            }

            foreach (var line in page)
            {
                var properties = PropertyBags.Read(line.Properties);
                if (propertyFilters.All(f => properties.TryGetValue(f.Key, out var v) && v == f.Value))
                {
                    yield return (line, properties);
                }
            }
        }
    }
}
