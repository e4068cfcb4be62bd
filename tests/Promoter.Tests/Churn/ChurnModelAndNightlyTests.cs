using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Promoter.Churn;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Tests.Infrastructure;
using Promoter.Tests.Loop;

namespace Promoter.Tests.Churn;

public sealed class ChurnModelAndNightlyTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Where_churn_follows_the_last_score_the_fitted_model_is_used_and_the_card_says_so(DatabaseProvider provider)
    {
        await using var h = await ChurnHarness.StartAsync(provider);
        await SeedHistoryAsync(h, informative: true);
        await h.Server.InWorkspaceAsync(h.Workspace.Id, sp => sp.GetRequiredService<ChurnModelFitter>().FitAsync(CancellationToken.None));

        var card = await h.Api.GetJsonAsync("/api/v1/churn/model");
        Assert.Equal("fitted", card.GetProperty("status").GetString());
        Assert.True(card.GetProperty("events").GetInt32() >= 30, card.ToString());
        Assert.True(card.GetProperty("auc").GetDouble() >= 0.75, card.ToString());
        Assert.True(card.GetProperty("aucLow").GetDouble() > 0.5);
        Assert.NotEmpty(card.GetProperty("calibration").EnumerateArray());
        Assert.NotEmpty(card.GetProperty("coefficients").EnumerateArray());
        var rates = card.GetProperty("churnRateByCategory").EnumerateArray().ToDictionary(r => r.GetProperty("category").GetString()!, r => r.GetProperty("rate").GetDouble());
        Assert.True(rates["detractor"] > rates["passive"] && rates["passive"] > rates["promoter"], card.ToString());

        // Rescoring now uses the fitted model, and says so.
        await h.RescoreAllAsync();
        var top = (await h.Api.GetJsonAsync("/api/v1/contacts/at-risk?limit=1")).GetProperty("items")[0].GetProperty("risk");
        Assert.Equal("fitted", top.GetProperty("model").GetString());
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Where_churn_is_random_the_rule_score_stays_in_use(DatabaseProvider provider)
    {
        await using var h = await ChurnHarness.StartAsync(provider);
        await SeedHistoryAsync(h, informative: false);
        await h.Server.InWorkspaceAsync(h.Workspace.Id, sp => sp.GetRequiredService<ChurnModelFitter>().FitAsync(CancellationToken.None));

        var card = await h.Api.GetJsonAsync("/api/v1/churn/model");
        Assert.Equal("rules", card.GetProperty("status").GetString());
        Assert.Contains(card.GetProperty("decision").GetString(), new[] { "does_not_beat_chance", "does_not_beat_rules" });
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task The_nightly_run_happens_once_per_night_with_two_nodes_and_resumes_a_dead_nodes_run(DatabaseProvider provider)
    {
        await using var h = await ChurnHarness.StartAsync(provider);
        for (var i = 0; i < 25; i++)
        {
            await h.RespondAsync(i % 11, null, $"n{i:D2}@example.com");
        }

        var services = h.Server.Services;
        NightlyRescoring Node() => new(services.GetRequiredService<IServiceScopeFactory>(), h.Clock!,
            Options.Create(new ChurnOptions { ChunkSize = 10 }), NullLogger<NightlyRescoring>.Instance);

        var counts = await Task.WhenAll(Node().RunDueAsync(CancellationToken.None), Node().RunDueAsync(CancellationToken.None));
        var runs = await h.QueryAsync(db => db.ChurnRuns.AsNoTracking().ToListAsync());
        var run = Assert.Single(runs);
        Assert.Equal(25, run.Done);
        Assert.NotNull(run.FinishedAt);
        Assert.Equal(25, counts.Sum());
        Assert.Equal(25, await h.QueryAsync(db => db.ContactRisks.CountAsync()));
        Assert.Equal(0, await Node().RunDueAsync(CancellationToken.None));

        // The next night a node dies after 10 contacts; another takes its run over from the cursor once the lease lapses.
        h.Clock!.Advance(TimeSpan.FromDays(1));
        var ids = await h.QueryAsync(db => db.Contacts.OrderBy(c => c.Id).Select(c => c.Id).ToListAsync());
        var night = Node().NightOf(h.Clock.GetUtcNow().UtcDateTime);
        await h.Server.InWorkspaceAsync(h.Workspace.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            db.ChurnRuns.Add(new ChurnRun
            {
                Id = Guid.CreateVersion7(), Night = night, Cursor = ids[9], Done = 10, LeaseOwner = "dead-node",
                LeaseUntil = h.Clock.GetUtcNow().UtcDateTime.AddMinutes(1), StartedAt = h.Clock.GetUtcNow().UtcDateTime,
            });
            return await db.SaveChangesAsync();
        });
        Assert.Equal(0, await Node().RunDueAsync(CancellationToken.None));
        h.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(15, await Node().RunDueAsync(CancellationToken.None));
        var resumed = await h.QueryAsync(db => db.ChurnRuns.AsNoTracking().SingleAsync(r => r.Night == night));
        Assert.Equal(25, resumed.Done);
        Assert.NotNull(resumed.FinishedAt);
    }

    /// <summary>
    /// 900 contacts with two scores each spread over two years; with <paramref name="informative"/> churn within 60 days
    /// of the last score is likely for detractors (and more after a drop) and rare for promoters; otherwise 30 % for all.
    /// </summary>
    private static Task<int> SeedHistoryAsync(LoopHarness h, bool informative) =>
        h.Server.InWorkspaceAsync(h.Workspace.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var now = h.Clock!.GetUtcNow().UtcDateTime;
            var random = new Random(informative ? 16 : 61);
            for (var i = 0; i < 900; i++)
            {
                var contact = new Contact { Id = Guid.CreateVersion7(), Email = $"h{i:D4}@example.com", EmailKey = $"h{i:D4}@example.com", CreatedAt = now, UpdatedAt = now };
                db.Contacts.Add(contact);
                var first = now.AddDays(-720 + random.Next(0, 600));
                var previous = (short)random.Next(0, 11);
                var last = (short)Math.Clamp(previous + random.Next(-5, 4), 0, 10);
                var lastAt = first.AddDays(30);
                foreach (var (score, at) in new[] { (previous, first), (last, lastAt) })
                {
                    db.Responses.Add(new SurveyResponse
                    {
                        SurveyId = h.Survey, ContactId = contact.Id, Score = score, Language = "en", Channel = Channels.Import,
                        Status = ResponseStatus.Final, RespondedAt = at, CreatedAt = at, UpdatedAt = at,
                    });
                }

                var p = informative
                    ? (last <= 6 ? 0.65 : last <= 8 ? 0.25 : 0.04) + (previous - last >= 3 ? 0.2 : 0)
                    : 0.3;
                if (random.NextDouble() < p)
                {
                    // Informative: soon after the last score. Random: any day of the two years, whatever the scores.
                    var churnedAt = informative ? lastAt.AddDays(random.Next(5, 60)) : now.AddDays(-random.Next(1, 720));
                    if (churnedAt < now)
                    {
                        db.ChurnEvents.Add(new ChurnEvent
                        {
                            Id = Guid.CreateVersion7(), ContactId = contact.Id, OccurredAt = churnedAt, DedupeKey = $"seed-{i}", Source = "api", CreatedAt = now,
                        });
                    }
                }
            }

            return await db.SaveChangesAsync();
        });
}
