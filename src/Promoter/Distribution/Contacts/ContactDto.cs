namespace Promoter.Distribution.Contacts;

/// <summary>A contact on the API.</summary>
public sealed record ContactDto(Guid Id, string? Email, string? Phone, string? Name, string? Locale, string? TimeZone,
    IReadOnlyDictionary<string, string> Properties, DateTime CreatedAt, DateTime UpdatedAt)
{
    public static ContactDto From(Contact c) =>
        new(c.Id, c.Email, c.Phone, c.Name, c.Locale, c.TimeZone, ContactDirectory.ReadProperties(c.Properties), c.CreatedAt, c.UpdatedAt);
}

public sealed record ContactListDto(IReadOnlyList<ContactDto> Items, string? NextCursor);
