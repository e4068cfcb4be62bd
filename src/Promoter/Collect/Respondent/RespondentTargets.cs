using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Surveys;

namespace Promoter.Collect.Respondent;

/// <summary>What a respondent link points at: the survey, and for a personal link the invitation and the contact's language.</summary>
public sealed record RespondentTarget(Survey Survey, SurveyDefinition Definition, Invitation? Invitation, string? ContactLocale)
{
    public Guid WorkspaceId => Survey.WorkspaceId;

    /// <summary>What the question asks about: the invitation's <c>question_product_name</c>, else the survey's brand.</summary>
    public string BrandName => Distribution.Invitations.InvitationBrand.Of(Invitation?.Properties, Survey.BrandName);

    /// <summary>The locale key explaining why no answer is taken (closed survey, expired or cancelled invitation); null when open.</summary>
    public string? UnavailableReason(DateTime now) =>
        Survey.IsClosed ? "survey.error.closed"
        : Invitation is { } i && (i.Status is InvitationStatus.Cancelled or InvitationStatus.Expired || i.ExpiresAt <= now) ? "survey.error.not_found"
        : null;
}

/// <summary>
/// Resolves <c>/s/{surveyId}</c> and <c>/r/{token}</c>. Respondents are not signed in, so the link itself names the
/// workspace: it is looked up once across workspaces, entered, and everything after uses the normal filtered queries.
/// </summary>
public sealed partial class RespondentTargets(PromoterDb db)
{
    public async Task<RespondentTarget?> SurveyAsync(Guid surveyId, CancellationToken ct)
    {
        // One round trip: the survey row names its own workspace, which is entered for everything after.
        var survey = await CrossWorkspaceQueries.SurveyForRespondent(db, surveyId).AsNoTracking().SingleOrDefaultAsync(ct);
        if (survey is null)
        {
            return null;
        }

        db.Workspace.Enter(survey.WorkspaceId);
        return new RespondentTarget(survey, survey.ReadDefinition(), null, null);
    }

    public async Task<RespondentTarget?> InvitationAsync(string token, CancellationToken ct)
    {
        if (!IsTokenShaped(token))
        {
            return null;
        }

        var workspaceId = await CrossWorkspaceQueries.InvitationForRespondent(db, token).Select(i => (Guid?)i.WorkspaceId).SingleOrDefaultAsync(ct);
        if (workspaceId is null)
        {
            return null;
        }

        db.Workspace.Enter(workspaceId.Value);
        var found = await (from i in db.Invitations.AsNoTracking()
                           where i.Token == token
                           join s in db.Surveys.AsNoTracking() on i.SurveyId equals s.Id
                           join c in db.Contacts.AsNoTracking() on i.ContactId equals c.Id into contacts
                           from c in contacts.DefaultIfEmpty()
                           select new { Invitation = i, Survey = s, Locale = c == null ? null : c.Locale }).SingleOrDefaultAsync(ct);
        return found is null ? null : new RespondentTarget(found.Survey, found.Survey.ReadDefinition(), found.Invitation, found.Locale);
    }

    // Tokens are ≥128 random bits in URL-safe characters; anything else is not worth a database round trip.
    public static bool IsTokenShaped(string? token) => token is not null && TokenPattern().IsMatch(token);

    [GeneratedRegex("^[A-Za-z0-9_-]{16,64}$")]
    private static partial Regex TokenPattern();
}
