using System.Net.Http.Json;
using System.Text.Json;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Loop;

/// <summary>
/// A scripted fortnight of follow-up on a fake clock; the expected figures below were worked out by hand from the script
/// (see docs/loop-metrics.md for the definitions).
/// </summary>
public sealed class LoopMetricsTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Loop_metrics_equal_the_hand_computed_values_of_a_scripted_scenario(DatabaseProvider provider)
    {
        await using var h = await LoopHarness.StartAsync(provider);
        var a = await h.AddMemberAsync(Role.Agent);
        var b = await h.AddMemberAsync(Role.Agent);
        var clock = h.Clock!;

        // T0: three detractors and a passive with a comment.
        var r1 = await h.RespondAsync(2, "Too expensive", "c1@example.com", teamMember: a.Email);
        var r2 = await h.RespondAsync(4, "Billing mess", "c2@example.com", teamMember: a.Email);
        var r3 = await h.RespondAsync(0, "Never again", "c3@example.com", teamMember: b.Email);
        var r5 = await h.RespondAsync(8, "The new UI is slow", "c5@example.com", teamMember: b.Email);
        await h.ProcessAsync();
        var (c1, c2, c3, c5) = ((await h.CaseOfAsync(r1)).Id, (await h.CaseOfAsync(r2)).Id, (await h.CaseOfAsync(r3)).Id, (await h.CaseOfAsync(r5)).Id);

        clock.Advance(TimeSpan.FromHours(2)); // T0+2 h: a logged call to c1 is the first contact
        await OkAsync(h.Api.PostAsJsonAsync($"/api/v1/cases/{c1}/contacts", new { channel = "phone", note = "Explained the pricing" }));
        clock.Advance(TimeSpan.FromHours(4)); // T0+6 h
        await OkAsync(h.Api.PatchAsJsonAsync($"/api/v1/cases/{c5}", new { status = "contacted", tags = new[] { "billing", "ui" } }));
        clock.Advance(TimeSpan.FromHours(4)); // T0+10 h
        await OkAsync(h.Api.PatchAsJsonAsync($"/api/v1/cases/{c1}", new { status = "resolved", rootCause = "Price", tags = new[] { "billing" } }));
        clock.Advance(TimeSpan.FromHours(10)); // T0+20 h: c1 answers again, as a promoter (its case is resolved: no new case)
        await h.RespondAsync(9, null, "c1@example.com");
        await h.ProcessAsync();
        clock.Advance(TimeSpan.FromHours(10)); // T0+30 h: c2 contacted after its 24 h
        await OkAsync(h.Api.PatchAsJsonAsync($"/api/v1/cases/{c2}", new { status = "contacted" }));
        clock.Advance(TimeSpan.FromHours(10)); // T0+40 h
        await OkAsync(h.Api.PatchAsJsonAsync($"/api/v1/cases/{c2}", new { status = "closed", rootCause = "Price" }));
        clock.Advance(TimeSpan.FromHours(5)); // T0+45 h: c2 answers again with a 7
        await h.RespondAsync(7, null, "c2@example.com");
        clock.Advance(TimeSpan.FromHours(3)); // T0+48 h: c3 answers 0 again, which joins its open case
        await h.RespondAsync(0, "Still nothing", "c3@example.com");
        clock.Advance(TimeSpan.FromHours(1)); // T0+49 h: a fresh detractor, not due until T0+73 h
        await h.RespondAsync(5, "Meh", "c4@example.com", teamMember: b.Email);
        await h.ProcessAsync();
        clock.Advance(TimeSpan.FromHours(1)); // T0+50 h: measure

        Assert.Equal(5, (await h.CasesAsync()).Count);
        var m = await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/loop/metrics");

        Assert.Equal(5, m.GetProperty("cases").GetInt32());
        Assert.Equal(4, m.GetProperty("detractorCases").GetInt32());
        Assert.Equal(3, m.GetProperty("openCases").GetInt32());     // c3 new, c4 new, c5 contacted
        Assert.Equal(1, m.GetProperty("overdueCases").GetInt32());  // c3: due T0+24 h, never contacted
        // Decided detractor cases: c1 (2 h, within), c2 (30 h, late), c3 (overdue); c4 is still inside its SLA.
        var sla = m.GetProperty("detractorsContactedWithinSla");
        Assert.Equal(3, sla.GetProperty("decided").GetInt32());
        Assert.Equal(1, sla.GetProperty("withinSla").GetInt32());
        Assert.Equal(1.0 / 3, sla.GetProperty("share").GetDouble(), 9);
        // First contact: 2 h (c1), 6 h (c5), 30 h (c2) → median 6 h. Resolution: 10 h (c1), 40 h (c2) → median 25 h.
        Assert.Equal(6.0, m.GetProperty("medianHoursToFirstContact").GetDouble(), 6);
        Assert.Equal(25.0, m.GetProperty("medianHoursToResolution").GetDouble(), 6);
        // Detractors with a contact: c1, c2, c3, c4; answered again: c1 (2 → 9), c2 (4 → 7), c3 (0 → 0).
        var recovery = m.GetProperty("recovery");
        Assert.Equal(4, recovery.GetProperty("detractorsWithContact").GetInt32());
        Assert.Equal(3, recovery.GetProperty("withLaterResponse").GetInt32());
        Assert.Equal(2, recovery.GetProperty("improved").GetInt32());
        Assert.Equal(2, recovery.GetProperty("nowPassiveOrPromoter").GetInt32());
        Assert.Equal(2.0 / 3, recovery.GetProperty("recoveryRate").GetDouble(), 9);
        Assert.Equal(2.0 / 3, recovery.GetProperty("nowPassiveOrPromoterRate").GetDouble(), 9);

        Assert.Equal(["Price:2"], m.GetProperty("topRootCauses").EnumerateArray().Select(c => $"{c.GetProperty("name").GetString()}:{c.GetProperty("cases").GetInt32()}"));
        Assert.Equal(["billing:2", "ui:1"], m.GetProperty("topTags").EnumerateArray().Select(c => $"{c.GetProperty("name").GetString()}:{c.GetProperty("cases").GetInt32()}"));
        var month = (await h.ResponseAsync(r1)).RespondedAt.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal([$"{month} Price 2"], m.GetProperty("rootCausesByMonth").EnumerateArray()
            .Select(c => $"{c.GetProperty("month").GetString()} {c.GetProperty("name").GetString()} {c.GetProperty("cases").GetInt32()}"));

        // Per owner: B has c3, c4, c5; A has c1, c2.
        var owners = m.GetProperty("perOwner").EnumerateArray().ToList();
        Assert.Equal([b.Id, a.Id], owners.Select(o => o.GetProperty("ownerUserId").GetGuid()));
        Assert.Equal(3, owners[0].GetProperty("cases").GetInt32());
        Assert.Equal(0.0, owners[0].GetProperty("detractorsContactedWithinSla").GetProperty("share").GetDouble(), 9);
        Assert.Equal(6.0, owners[0].GetProperty("medianHoursToFirstContact").GetDouble(), 6);
        Assert.Equal(0, owners[0].GetProperty("resolved").GetInt32());
        Assert.Equal(2, owners[1].GetProperty("cases").GetInt32());
        Assert.Equal(0.5, owners[1].GetProperty("detractorsContactedWithinSla").GetProperty("share").GetDouble(), 9);
        Assert.Equal(16.0, owners[1].GetProperty("medianHoursToFirstContact").GetDouble(), 6);
        Assert.Equal(2, owners[1].GetProperty("resolved").GetInt32());

        // A window that ends before the scenario holds nothing; a bad date names its field.
        var empty = await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/loop/metrics?from=2000-01-01&to=2000-02-01");
        Assert.Equal(0, empty.GetProperty("cases").GetInt32());
        Assert.Equal(JsonValueKind.Null, empty.GetProperty("medianHoursToFirstContact").ValueKind);
        using var bad = await h.Api.GetAsync("/api/v1/loop/metrics?from=yesterday");
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.True((await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("from", out _));

        // Promoter activation: c1 is the only promoter (one 9), so no super-fan yet.
        var promoters = await h.Api.GetFromJsonAsync<JsonElement>("/api/v1/loop/promoters");
        Assert.Equal(1, promoters.GetProperty("promoters").GetInt32());
        Assert.Equal(0, promoters.GetProperty("superFans").GetInt32());
        _ = r2;
        _ = r3;
    }

    private static async Task OkAsync(Task<HttpResponseMessage> call)
    {
        using var response = await call;
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}
