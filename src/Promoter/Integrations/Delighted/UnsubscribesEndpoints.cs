using Promoter.Accounts;
using Promoter.Data;
using Promoter.Distribution.Unsubscribes;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// <c>/v1/unsubscribes</c>: unsubscribing goes through <see cref="Unsubscriber"/> (idempotent, with its
/// <c>contact.unsubscribed</c> webhook event); the list is the suppression list's unsubscribed entries.
/// </summary>
internal static class UnsubscribesEndpoints
{
    public static void Map(RouteGroupBuilder v1)
    {
        DelightedRoutes.Map(v1, "POST", "/unsubscribes", Create, Scopes.ContactsWrite);
        DelightedRoutes.Map(v1, "GET", "/unsubscribes", List, Scopes.ContactsRead);
    }

    private static async Task<IResult> Create(HttpRequest request, Unsubscriber unsubscriber, CancellationToken ct)
    {
        var body = await DelightedJson.ReadObjectAsync(request, ct);
        var errors = new FieldErrors();
        var email = DelightedInput.Text(body, "person_email", errors);
        if (email is null && !errors.Any)
        {
            errors.Add("person_email", "can't be blank");
        }
        else if (email is not null && !EmailAddresses.TryNormalize(email, out _))
        {
            errors.Add("person_email", "is not an email address");
        }

        errors.ThrowIfAny();
        await unsubscriber.UnsubscribeAsync(email!, "api", ct);
        return DelightedJson.Ok();
    }

    private static Task<IResult> List(HttpRequest request, PromoterDb db, CancellationToken ct) =>
        SuppressionLists.ListAsync(request, db, SuppressionReason.Unsubscribed, "unsubscribed_at", ct);
}
