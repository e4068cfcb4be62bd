using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform.Email;

namespace Promoter.Integrations.Delighted;

/// <summary><c>GET /v1/bounces</c>: addresses the mail relay refused for good (5.1.x), which Promoter no longer mails.</summary>
internal static class BouncesEndpoint
{
    public static void Map(RouteGroupBuilder v1) => DelightedRoutes.Map(v1, "GET", "/bounces", List, Scopes.ContactsRead);

    private static Task<IResult> List(HttpRequest request, PromoterDb db, CancellationToken ct) =>
        SuppressionLists.ListAsync(request, db, SuppressionReason.HardBounce, "bounced_at", ct);
}
