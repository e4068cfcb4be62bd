using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http.HttpResults;
using Promoter.Accounts;
using Promoter.Platform;

namespace Promoter.Distribution.Contacts;

/// <summary>The body of <c>POST</c> and <c>PUT /api/v1/contacts</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record ContactBody(string? Email, string? Phone, string? Name, string? Locale, string? TimeZone, Dictionary<string, string?>? Properties)
{
    public ContactInput ToInput() => new(Email, Phone, Name, Locale, TimeZone, Properties!);
}

/// <summary><c>/api/v1/contacts</c>: upsert, list with filters and cursor paging, read, replace, delete.</summary>
public static class ContactsApi
{
    public static IEndpointRouteBuilder MapContactsApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1/contacts").WithTags("Contacts").RequireAuthorization();
        api.MapPost("/", Upsert).RequireScope(Scopes.ContactsWrite)
            .WithSummary("Create a contact, or update the one with the same email (else phone)");
        api.MapGet("/", List).RequireScope(Scopes.ContactsRead)
            .WithSummary("List contacts with filters and keyset paging");
        api.MapGet("/{id:guid}", Get).RequireScope(Scopes.ContactsRead)
            .WithSummary("Get a contact");
        api.MapPut("/{id:guid}", Replace).RequireScope(Scopes.ContactsWrite)
            .WithSummary("Replace a contact's fields and properties");
        api.MapDelete("/{id:guid}", Delete).RequireScope(Scopes.ContactsWrite)
            .WithSummary("Delete a contact");
        return app;
    }

    /// <summary>201 with the new contact, or 200 when the email (else phone) named an existing one, which is merged.</summary>
    private static async Task<Results<Created<ContactDto>, Ok<ContactDto>>> Upsert(ContactBody body, ContactEditor editor, CancellationToken ct)
    {
        var saved = await editor.UpsertAsync(body.ToInput(), ct);
        var dto = ContactDto.From(saved.Contact);
        return saved.Created ? TypedResults.Created($"/api/v1/contacts/{dto.Id}", dto) : TypedResults.Ok(dto);
    }

    private static async Task<Ok<ContactListDto>> List(ContactQueries queries, string? email, string? name, string? locale, string? property,
        string? createdFrom, string? createdTo, string? cursor, int? limit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var filter = ContactFilter.Parse(email, name, locale, property, createdFrom, createdTo, errors);
        errors.ThrowIfAny();
        var page = await queries.PageAsync(filter, cursor, limit, ct);
        return TypedResults.Ok(new ContactListDto(page.Items.Select(ContactDto.From).ToList(), page.NextCursor));
    }

    private static async Task<Ok<ContactDto>> Get(Guid id, ContactQueries queries, CancellationToken ct) =>
        TypedResults.Ok(ContactDto.From(await queries.GetAsync(id, ct)));

    private static async Task<Ok<ContactDto>> Replace(Guid id, ContactBody body, ContactEditor editor, CancellationToken ct) =>
        TypedResults.Ok(ContactDto.From(await editor.ReplaceAsync(id, body.ToInput(), ct)));

    private static async Task<NoContent> Delete(Guid id, ContactEditor editor, CancellationToken ct)
    {
        await editor.DeleteAsync(id, ct);
        return TypedResults.NoContent();
    }
}
