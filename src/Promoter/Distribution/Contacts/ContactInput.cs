namespace Promoter.Distribution.Contacts;

/// <summary>
/// What a caller knows about a person. Null fields are left as they are on an existing contact; a property whose
/// value is null or blank is removed from the contact's properties.
/// </summary>
public sealed record ContactInput(string? Email, string? Phone, string? Name, string? Locale, string? TimeZone,
    IReadOnlyDictionary<string, string>? Properties);
