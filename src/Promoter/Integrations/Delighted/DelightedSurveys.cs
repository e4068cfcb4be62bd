using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform;
using Promoter.Surveys;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// A Delighted account had one survey, split into "trends". In Promoter a workspace is the account and each survey
/// is a trend: <c>trend</c> names a survey by id; without it, reads cover every survey of the workspace and sends go
/// to the workspace's first open survey (the oldest, so adding surveys later never redirects an integration).
/// </summary>
public static class DelightedSurveys
{
    public static async Task<Guid?> TrendAsync(PromoterDb db, string? trend, FieldErrors errors, CancellationToken ct)
    {
        if (trend is null)
        {
            return null;
        }

        if (!Guid.TryParse(trend, out var id) || !await db.Surveys.AnyAsync(s => s.Id == id, ct))
        {
            errors.Add("trend", "is not a survey of this workspace (use a survey id)");
            return null;
        }

        return id;
    }

    /// <summary>Every survey a read covers: the trend's, or all of the workspace's.</summary>
    public static async Task<List<Guid>> ScopeAsync(PromoterDb db, Guid? trend, CancellationToken ct) =>
        trend is { } id ? [id] : await db.Surveys.AsNoTracking().OrderBy(s => s.CreatedAt).Select(s => s.Id).ToListAsync(ct);

    /// <summary>The survey a send or a new response goes to.</summary>
    public static async Task<Survey> TargetAsync(PromoterDb db, Guid? trend, CancellationToken ct)
    {
        var query = db.Surveys.AsNoTracking().Where(s => !s.IsClosed);
        query = trend is { } id ? query.Where(s => s.Id == id) : query.OrderBy(s => s.CreatedAt).ThenBy(s => s.Id);
        return await query.FirstOrDefaultAsync(ct)
               ?? throw RequestValidationException.For(trend is null ? "survey" : "trend",
                   trend is null ? "the workspace has no open survey; create one in Promoter first" : "the survey is closed");
    }
}
