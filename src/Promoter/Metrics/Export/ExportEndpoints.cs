using System.Text;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform;

namespace Promoter.Metrics.Export;

/// <summary>
/// <c>/export/responses.csv|xlsx</c> with the dashboard's filters. The file is written to a temporary file first
/// (constant memory, and the archive writer needs synchronous writes), then streamed.
/// </summary>
public static class ExportEndpoints
{
    public static IEndpointRouteBuilder MapExports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/export/responses.{format:regex(^(csv|xlsx)$)}", ExportAsync).RequireScope(Scopes.ResponsesRead).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> ExportAsync(string format, HttpRequest request, PromoterDb db, ResponseExporter exporter, TimeProvider clock, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var parameters = MetricsQuery.WithoutEmpty(request.Query);
        var surveyIds = await db.Surveys.AsNoTracking().Select(s => s.Id).ToListAsync(ct);
        if (MetricsQuery.One(parameters, "survey", errors) is { Length: > 0 } survey)
        {
            if (!Guid.TryParse(survey, out var id) || !surveyIds.Contains(id))
            {
                throw new NotFoundException("survey");
            }

            surveyIds = [id];
        }

        var query = await MetricsQuery.ParseAsync(parameters, surveyIds, db, errors, Pages.DashboardModel.ViewParameters, ct);
        errors.ThrowIfAny();
        var path = Path.GetTempFileName();
        var file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        if (format == "csv")
        {
            await using var writer = new StreamWriter(file, new UTF8Encoding(true), 1 << 16, leaveOpen: true);
            await exporter.WriteCsvAsync(writer, query.Filter, null, ct);
        }
        else
        {
            await exporter.WriteXlsxAsync(file, query.Filter, null, ct);
        }

        file.Position = 0;
        var name = $"responses-{clock.GetUtcNow():yyyyMMdd-HHmm}.{format}";
        var type = format == "csv" ? "text/csv; charset=utf-8" : "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
        return Results.File(file, type, name);
    }
}
