using System.Text;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Churn;

public sealed class ChurnEventsApiTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task A_churn_event_for_a_contact_is_stored_once_and_repeating_it_returns_the_same_event(DatabaseProvider provider)
    {
        await using var h = await ChurnHarness.StartAsync(provider);
        await h.SetContactPropertiesAsync("leaver@example.com", new() { ["account"] = "Acme AB" });
        await h.RespondAsync(4, null, "leaver@example.com");
        var at = h.Clock!.GetUtcNow().AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);

        var (created, body) = await h.Api.PostJsonAsync("/api/v1/churn-events", new { email = "Leaver@Example.com", occurredAt = at, reason = "Price", revenue = 1200.5 });
        Assert.Equal(201, created);
        var (again, second) = await h.Api.PostJsonAsync("/api/v1/churn-events", new { email = "leaver@example.com", occurredAt = at });
        Assert.Equal(200, again);
        Assert.Equal(body.GetProperty("id").GetString(), second.GetProperty("id").GetString());

        var contactId = await h.ContactIdAsync("leaver@example.com");
        var (byId, _) = await h.Api.PostJsonAsync("/api/v1/churn-events", new { contactId, occurredAt = at, externalKey = "crm-17" });
        Assert.Equal(201, byId);
        var (byKey, _) = await h.Api.PostJsonAsync("/api/v1/churn-events", new { contactId, occurredAt = at, externalKey = "crm-17" });
        Assert.Equal(200, byKey);
        var (account, accountBody) = await h.Api.PostJsonAsync("/api/v1/churn-events", new { account = "Acme AB", occurredAt = at });
        Assert.Equal(201, account);
        Assert.Equal("Acme AB", accountBody.GetProperty("account").GetString());

        Assert.Equal(3, await h.QueryAsync(db => db.ChurnEvents.CountAsync()));
        var model = await h.Api.GetJsonAsync("/api/v1/churn/model");
        Assert.Equal("rules", model.GetProperty("status").GetString());
        Assert.Equal(3, model.GetProperty("churnEventsRecorded").GetInt32());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Hostile_churn_events_are_refused_naming_the_field_and_create_nothing(DatabaseProvider provider)
    {
        await using var h = await ChurnHarness.StartAsync(provider);
        await h.RespondAsync(4, null, "known@example.com");
        var now = h.Clock!.GetUtcNow();
        var past = now.AddDays(-2).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var future = now.AddDays(2).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

        var cases = new (object Body, int Status, string Field)[]
        {
            (new { email = "nobody@example.com", occurredAt = past }, 422, "email"),
            (new { contactId = Guid.NewGuid(), occurredAt = past }, 422, "contactId"),
            (new { account = "No such account", occurredAt = past }, 422, "account"),
            (new { email = "known@example.com", occurredAt = future }, 400, "occurredAt"),
            (new { email = "known@example.com", occurredAt = "yesterday" }, 400, "occurredAt"),
            (new { email = "known@example.com" }, 400, "occurredAt"),
            (new { occurredAt = past }, 400, "email"),
            (new { email = "known@example.com", account = "Both", occurredAt = past }, 400, "email"),
            (new { email = "not an email", occurredAt = past }, 400, "email"),
            (new { email = "known@example.com", occurredAt = past, reason = new string('x', 501) }, 400, "reason"),
            (new { email = "known@example.com", occurredAt = past, revenue = "lots" }, 400, "revenue"),
            (new { email = "known@example.com", occurredAt = past, revenue = 1e300 }, 400, "revenue"),
            (new { email = "known@example.com", occurredAt = past, externalKey = new string('k', 201) }, 400, "externalKey"),
            (new { email = "known@example.com", occurredAt = past, contact = "extra" }, 400, "contact"),
        };
        foreach (var (body, status, field) in cases)
        {
            var (actual, problem) = await h.Api.PostJsonAsync("/api/v1/churn-events", body);
            Assert.True(status == actual, $"{System.Text.Json.JsonSerializer.Serialize(body)} → {actual} {problem}");
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"{field}: {problem}");
        }

        using (var garbage = await h.Api.PostAsync("/api/v1/churn-events", new StringContent("{\"email\":", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(400, (int)garbage.StatusCode);
        }

        Assert.Equal(0, await h.QueryAsync(db => db.ChurnEvents.CountAsync()));
        Assert.Equal(1, await h.QueryAsync(db => db.Contacts.CountAsync()));
    }
}
