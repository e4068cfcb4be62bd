using Promoter.Platform;

namespace Promoter.Distribution.Invitations;

/// <summary>
/// The product a question asks about. An invitation may name it in its <c>question_product_name</c> property (what
/// Delighted's API and integrations written for it send, e.g. one product of a brand); otherwise it is the survey's brand.
/// </summary>
public static class InvitationBrand
{
    public const string Property = "question_product_name";

    public static string Of(string? invitationProperties, string surveyBrand) =>
        invitationProperties is not null && invitationProperties.Contains(Property, StringComparison.Ordinal)
        && PropertyBags.Read(invitationProperties).TryGetValue(Property, out var product) && !string.IsNullOrWhiteSpace(product)
            ? product
            : surveyBrand;
}
