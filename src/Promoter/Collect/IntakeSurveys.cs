using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Promoter.Data;

namespace Promoter.Collect;

/// <summary>
/// What intake needs to know about a survey (exists in this workspace, default language, closed), cached for two
/// seconds so a busy intake endpoint does not query the survey per response. Editing a survey on this node drops
/// the entry at once; other nodes see a closed survey within two seconds.
/// </summary>
public static class IntakeSurveys
{
    private static readonly TimeSpan s_cacheFor = TimeSpan.FromSeconds(2);

    public sealed record Info(Guid Id, string DefaultLanguage, bool IsClosed);

    /// <summary>The survey in <paramref name="workspaceId"/>, or null; <paramref name="services"/> gives the database on a cache miss only.</summary>
    public static async Task<Info?> FindAsync(IServiceProvider services, IMemoryCache cache, Guid workspaceId, Guid surveyId, CancellationToken ct)
    {
        var key = CacheKey(workspaceId, surveyId);
        if (cache.TryGetValue(key, out Info? cached))
        {
            return cached;
        }

        var db = services.GetRequiredService<PromoterDb>();
        var survey = await db.Surveys.AsNoTracking().Where(s => s.Id == surveyId)
            .Select(s => new Info(s.Id, s.DefaultLanguage, s.IsClosed)).SingleOrDefaultAsync(ct);
        if (survey is not null)
        {
            cache.Set(key, survey, s_cacheFor);
        }

        return survey;
    }

    public static void Forget(IMemoryCache cache, Guid workspaceId, Guid surveyId) => cache.Remove(CacheKey(workspaceId, surveyId));

    private static (string, Guid, Guid) CacheKey(Guid workspaceId, Guid surveyId) => ("intake-survey", workspaceId, surveyId);
}
