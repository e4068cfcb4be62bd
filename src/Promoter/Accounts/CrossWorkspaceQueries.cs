using Microsoft.EntityFrameworkCore;
using Promoter.Data;

namespace Promoter.Accounts;

/// <summary>
/// The only reads that look across workspaces, each needed before a workspace is known (sign-in, API key look-up).
/// A test keeps <c>IgnoreQueryFilters</c> out of every other file, so review this one closely.
/// </summary>
public static class CrossWorkspaceQueries
{
    public static IQueryable<Membership> MembershipsOfUser(PromoterDb db, Guid userId) =>
        db.Memberships.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(m => m.UserId == userId);

    public static IQueryable<ApiKey> ApiKeyByPrefix(PromoterDb db, string prefix) =>
        db.ApiKeys.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(k => k.Prefix == prefix);

    public static IQueryable<ApiKey> ApiKeyById(PromoterDb db, Guid id) =>
        db.ApiKeys.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(k => k.Id == id);

    /// <summary>
    /// For <c>promoter import responses --survey ID</c> without <c>--workspace</c>: the operator names a survey, which
    /// names its workspace. Only the workspace id leaves this method; everything else is read inside that workspace.
    /// </summary>
    public static IQueryable<Guid> WorkspaceOfSurvey(PromoterDb db, Guid surveyId) =>
        db.Surveys.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]).Where(s => s.Id == surveyId).Select(s => s.WorkspaceId);

    /// <summary>For operator tooling (CLI, background jobs) that receives a workspace id and must check it exists.</summary>
    public static IQueryable<Membership> AllMemberships(PromoterDb db) =>
        db.Memberships.IgnoreQueryFilters([PromoterDb.WorkspaceFilter]);
}
