namespace Promoter.Distribution.Contacts;

public static class ContactsRegistration
{
    /// <summary>The contact directory other features use to upsert people, and the contacts API's services.</summary>
    public static IHostApplicationBuilder AddContacts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddScoped<ContactDirectory>();
        builder.Services.AddScoped<ContactQueries>();
        builder.Services.AddScoped<ContactEditor>();
        builder.Services.AddScoped<ContactImporter>();
        builder.Services.AddScoped<ContactHistory>();
        return builder;
    }

    /// <summary><c>/api/v1/contacts</c>.</summary>
    public static IEndpointRouteBuilder MapContacts(this IEndpointRouteBuilder app) => app.MapContactsApi();
}
