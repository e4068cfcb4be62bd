using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Distribution.Contacts;
using Promoter.Platform;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Contacts;

/// <summary>The contact upsert other features call: validation by field, look-up by email then phone, merging, tenancy.</summary>
public sealed class ContactDirectoryTests
{
    private static ContactInput Input(string? email = null, string? phone = null, string? name = null, string? locale = null,
        string? timeZone = null, IReadOnlyDictionary<string, string>? properties = null) =>
        new(email, phone, name, locale, timeZone, properties);

    public static TheoryData<string, ContactInput> HostileInputs() => new()
    {
        { "email", Input(email: "not-an-email") },
        { "email", Input(email: "ana@example.com\r\nBcc: all@example.com") },
        { "email", Input(email: "Ana <ana@example.com>") },
        { "email", Input(email: new string('a', 250) + "@example.com") },
        { "email", Input() },
        { "phone", Input(phone: "070-123 45 67") },
        { "phone", Input(phone: "+46 70 123 45 67\r\n") },
        { "phone", Input(email: "a@example.com", phone: "+1 (555) call-me") },
        { "name", Input(email: "a@example.com", name: "Ana\r\nBcc: all@example.com") },
        { "name", Input(email: "a@example.com", name: "Ana\u0000") },
        { "name", Input(email: "a@example.com", name: new string('x', 257)) },
        { "locale", Input(email: "a@example.com", locale: "english please") },
        { "locale", Input(email: "a@example.com", locale: "<script>") },
        { "timeZone", Input(email: "a@example.com", timeZone: "Mars/Olympus_Mons") },
        { "timeZone", Input(email: "a@example.com", timeZone: "W. Europe Standard Time") },
        { "timeZone", Input(email: "a@example.com", timeZone: "../../etc/passwd") },
        { "timeZone", Input(email: "a@example.com", timeZone: "Europe/Stockholm\r\nBcc: x@example.com") },
        { "properties", Input(email: "a@example.com", properties: Enumerable.Range(0, 51).ToDictionary(i => $"p{i}", i => "v")) },
        { "properties", Input(email: "a@example.com", properties: new Dictionary<string, string> { ["bad key!"] = "v" }) },
        { "properties", Input(email: "a@example.com", properties: new Dictionary<string, string> { [""] = "v" }) },
        { "properties.plan", Input(email: "a@example.com", properties: new Dictionary<string, string> { ["plan"] = new string('x', 300) }) },
    };

    [Theory]
    [MemberData(nameof(HostileInputs))]
    public void Hostile_input_is_refused_naming_the_field(string field, ContactInput input)
    {
        var errors = new FieldErrors();
        ContactFields.Validate(input, errors);
        var refusal = Assert.Throws<RequestValidationException>(errors.ThrowIfAny);
        Assert.Contains(field, refusal.Errors.Keys);
    }

    [Fact]
    public void Values_are_normalised_to_one_canonical_form()
    {
        var errors = new FieldErrors();
        var valid = ContactFields.Validate(Input(" Ana@Example.COM ", "0046 70-123 45 67", " Ana \u202EMaria ", "pt_br", "Europe/Stockholm",
            new Dictionary<string, string> { ["plan"] = " gold ", ["region"] = "  " }), errors);
        Assert.False(errors.Any, string.Join("; ", errors.All));
        Assert.Equal(("Ana@Example.COM", "ana@example.com", "+46701234567"), (valid.Email, valid.EmailKey, valid.Phone));
        Assert.Equal(("Ana Maria", "pt-BR", "Europe/Stockholm"), (valid.Name, valid.Locale, valid.TimeZone));
        Assert.Equal("gold", valid.Properties["plan"]);
        Assert.Null(valid.Properties["region"]); // blank means "remove"
        Assert.Equal("UTC", ContactFields.TimeZone("UTC", errors));
        Assert.False(errors.Any, string.Join("; ", errors.All));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Upsert_finds_by_email_then_phone_merges_properties_and_stays_in_its_workspace(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var a = await server.CreateWorkspaceAsync("A");
        var b = await server.CreateWorkspaceAsync("B");

        var first = await UpsertAndSaveAsync(server, a.Id, Input("ana@example.com", "+46701234567", "Ana", "sv", "Europe/Stockholm",
            new Dictionary<string, string> { ["plan"] = "gold", ["region"] = "north" }));
        var again = await UpsertAndSaveAsync(server, a.Id, Input("ANA@example.com", null, null, null, null,
            new Dictionary<string, string> { ["plan"] = "platinum", ["region"] = "" }));
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(("Ana", "sv", "Europe/Stockholm"), (again.Name, again.Locale, again.TimeZone));
        Assert.Equal("""{"plan":"platinum"}""", again.Properties);

        // Known only by phone: the email is added to that contact rather than creating a second one.
        var byPhone = await UpsertAndSaveAsync(server, a.Id, Input(null, "+4670999", "Bo", null, null, null));
        var joined = await UpsertAndSaveAsync(server, a.Id, Input("bo@example.com", "+46 70 999", null, null, null, null));
        Assert.Equal((byPhone.Id, "bo@example.com"), (joined.Id, joined.Email));

        // Another contact's phone is not taken over.
        var conflict = await Assert.ThrowsAsync<FieldConflictException>(() => UpsertAndSaveAsync(server, a.Id, Input("cy@example.com", "+46701234567")));
        Assert.Equal("phone", conflict.Field);

        // The same email in another workspace is another person.
        var other = await UpsertAndSaveAsync(server, b.Id, Input("ana@example.com"));
        Assert.NotEqual(first.Id, other.Id);
        Assert.Equal(2, await server.InWorkspaceAsync(a.Id, sp => sp.GetRequiredService<PromoterDb>().Contacts.CountAsync()));
        Assert.Equal(1, await server.InWorkspaceAsync(b.Id, sp => sp.GetRequiredService<PromoterDb>().Contacts.CountAsync()));
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Two_upserts_of_one_person_in_one_transaction_give_one_contact(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var a = await server.CreateWorkspaceAsync("A");
        var ids = await server.InWorkspaceAsync(a.Id, async sp =>
        {
            var directory = sp.GetRequiredService<ContactDirectory>();
            var one = await directory.UpsertAsync(Input("dee@example.com", properties: new Dictionary<string, string> { ["a"] = "1" }), CancellationToken.None);
            var two = await directory.UpsertAsync(Input("Dee@Example.com", properties: new Dictionary<string, string> { ["b"] = "2" }), CancellationToken.None);
            await sp.GetRequiredService<PromoterDb>().SaveChangesAsync();
            return (one, two);
        });
        Assert.Same(ids.one, ids.two);
        Assert.Equal("""{"a":"1","b":"2"}""", ids.two.Properties);
    }

    [Fact]
    public async Task Merging_past_fifty_properties_is_refused()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite);
        var a = await server.CreateWorkspaceAsync("A");
        await UpsertAndSaveAsync(server, a.Id, Input("full@example.com", properties: Enumerable.Range(0, 50).ToDictionary(i => $"p{i}", i => "v")));
        var refusal = await Assert.ThrowsAsync<RequestValidationException>(() =>
            UpsertAndSaveAsync(server, a.Id, Input("full@example.com", properties: new Dictionary<string, string> { ["one_more"] = "v" })));
        Assert.Contains("properties", refusal.Errors.Keys);
    }

    private static Task<Promoter.Distribution.Contact> UpsertAndSaveAsync(PromoterTestServer server, Guid workspaceId, ContactInput input) =>
        server.InWorkspaceAsync(workspaceId, async sp =>
        {
            var contact = await sp.GetRequiredService<ContactDirectory>().UpsertAsync(input, CancellationToken.None);
            await sp.GetRequiredService<PromoterDb>().SaveChangesAsync();
            return contact;
        });
}
