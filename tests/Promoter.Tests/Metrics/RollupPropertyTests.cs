using FsCheck;
using FsCheck.Fluent;
using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Metrics;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Metrics;

/// <summary>
/// Rollups stay exactly equal to a recount from raw responses after any sequence of inserts, updates (score,
/// status, properties, time, dimensions) and deletes, and across segment declarations and time-zone changes.
/// </summary>
public sealed class RollupPropertyTests
{
    public abstract record Op;
    public sealed record Insert(int Survey, int Score, bool Final, int Channel, int Language, int? Touchpoint, int? Team, int? Region, int? Plan, int Minutes) : Op;
    public sealed record ChangeScore(int Index, int Score) : Op;
    public sealed record Finalize(int Index) : Op;
    public sealed record ChangeDimensions(int Index, int Channel, int? Team, int? Region) : Op;
    public sealed record MoveInTime(int Index, int Minutes) : Op;
    public sealed record Delete(int Index) : Op;
    public sealed record DeclarePlanSegment : Op;
    public sealed record ChangeZone(int Zone) : Op;

    private static readonly string[] ChannelValues = ["email", "link", "api", "kiosk"];
    private static readonly string[] LanguageValues = ["en", "ar", "th"];
    private static readonly string[] Zones = ["Asia/Kolkata", "America/New_York", "Europe/Stockholm", "UTC"];

    private static Gen<int?> Maybe(int max) => Gen.Frequency((1, Gen.Constant<int?>(null)), (3, Gen.Choose(0, max).Select(i => (int?)i)));

    private static Gen<Op> Ops() => Gen.Frequency(
        (8, from survey in Gen.Choose(0, 1)
            from score in Gen.Choose(0, 10)
            from final in Gen.Frequency((4, Gen.Constant(true)), (1, Gen.Constant(false)))
            from channel in Gen.Choose(0, ChannelValues.Length - 1)
            from language in Gen.Choose(0, LanguageValues.Length - 1)
            from touchpoint in Maybe(2)
            from team in Maybe(3)
            from region in Maybe(2)
            from plan in Maybe(1)
            from minutes in Gen.Choose(0, 60 * 24 * 400)
            select (Op)new Insert(survey, score, final, channel, language, touchpoint, team, region, plan, minutes)),
        (3, from i in Gen.Choose(0, 1000) from score in Gen.Choose(0, 10) select (Op)new ChangeScore(i, score)),
        (2, Gen.Choose(0, 1000).Select(i => (Op)new Finalize(i))),
        (2, from i in Gen.Choose(0, 1000) from c in Gen.Choose(0, ChannelValues.Length - 1) from t in Maybe(3) from r in Maybe(2) select (Op)new ChangeDimensions(i, c, t, r)),
        (2, from i in Gen.Choose(0, 1000) from m in Gen.Choose(0, 60 * 24 * 400) select (Op)new MoveInTime(i, m)),
        (2, Gen.Choose(0, 1000).Select(i => (Op)new Delete(i))),
        (1, Gen.Constant((Op)new DeclarePlanSegment())),
        (1, Gen.Choose(0, Zones.Length - 1).Select(z => (Op)new ChangeZone(z))));

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Rollups_equal_a_recount_after_any_sequence_of_writes(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider);
        var runs = 0;
        var property = Prop.ForAll(Gen.ListOf(Ops()).Select(l => l.Take(40).ToList()).ToArbitrary(), ops =>
        {
            runs++;
            var failure = RunAsync(server, ops, runs).GetAwaiter().GetResult();
            return failure is null ? true.ToProperty() : false.Label(failure);
        });
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(provider == DatabaseProvider.Sqlite ? 40 : 20), property);
        Assert.True(runs > 0);
    }

    private static async Task<string?> RunAsync(PromoterTestServer server, List<Op> ops, int run)
    {
        var ws = await server.CreateWorkspaceAsync($"Rollups {run} {Guid.NewGuid():N}");
        return await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            var maintenance = sp.GetRequiredService<RollupMaintenance>();
            var editor = sp.GetRequiredService<Promoter.Surveys.SurveyEditor>();
            var surveys = new[] { editor.Create(new() { Name = "A", BrandName = "A" }), editor.Create(new() { Name = "B", BrandName = "B" }) };
            db.Surveys.AddRange(surveys);
            db.SegmentKeys.Add(new SegmentKey { Key = "region", CreatedAt = DateTime.UnixEpoch });
            await db.SaveChangesAsync();
            await maintenance.RebuildAsync(CancellationToken.None);
            var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            var ids = new List<long>();

            foreach (var op in ops)
            {
                db.ChangeTracker.Clear();
                SurveyResponse? Pick(int i) => ids.Count == 0 ? null : db.Responses.Single(r => r.Id == ids[i % ids.Count]);
                switch (op)
                {
                    case Insert x:
                        var props = new Dictionary<string, string>();
                        if (x.Region is { } reg) props["region"] = $"region-{reg}";
                        if (x.Plan is { } plan) props["plan"] = plan == 0 ? "free" : "pro";
                        var response = new SurveyResponse
                        {
                            SurveyId = surveys[x.Survey].Id,
                            Score = (short)x.Score,
                            Status = x.Final ? ResponseStatus.Final : ResponseStatus.Provisional,
                            Channel = ChannelValues[x.Channel],
                            Language = LanguageValues[x.Language],
                            Touchpoint = x.Touchpoint is { } tp ? $"touch-{tp}" : null,
                            TeamMember = x.Team is { } tm ? $"agent-{tm}" : null,
                            Properties = Promoter.Platform.PropertyBags.Write(props),
                            RespondedAt = start.AddMinutes(x.Minutes),
                            CreatedAt = start,
                            UpdatedAt = start,
                        };
                        db.Responses.Add(response);
                        await db.SaveChangesAsync();
                        ids.Add(response.Id);
                        break;
                    case ChangeScore x when Pick(x.Index) is { } r:
                        r.Score = (short)x.Score;
                        await db.SaveChangesAsync();
                        break;
                    case Finalize x when Pick(x.Index) is { } r:
                        r.Status = ResponseStatus.Final;
                        await db.SaveChangesAsync();
                        break;
                    case ChangeDimensions x when Pick(x.Index) is { } r:
                        r.Channel = ChannelValues[x.Channel];
                        r.TeamMember = x.Team is { } t ? $"agent-{t}" : null;
                        r.Properties = Promoter.Platform.PropertyBags.Write(x.Region is { } g ? new Dictionary<string, string> { ["region"] = $"region-{g}" } : null);
                        await db.SaveChangesAsync();
                        break;
                    case MoveInTime x when Pick(x.Index) is { } r:
                        r.RespondedAt = start.AddMinutes(x.Minutes);
                        await db.SaveChangesAsync();
                        break;
                    case Delete x when Pick(x.Index) is { } r:
                        db.Responses.Remove(r);
                        await db.SaveChangesAsync();
                        ids.Remove(r.Id);
                        break;
                    case DeclarePlanSegment when !await db.SegmentKeys.AnyAsync(s => s.Key == "plan"):
                        db.SegmentKeys.Add(new SegmentKey { Key = "plan", CreatedAt = DateTime.UnixEpoch });
                        await db.SaveChangesAsync();
                        await maintenance.RebuildAsync(CancellationToken.None);
                        break;
                    case ChangeZone x:
                        await maintenance.ChangeTimeZoneAsync(TimeZoneInfo.FindSystemTimeZoneById(Zones[x.Zone]), CancellationToken.None);
                        break;
                }
            }

            db.ChangeTracker.Clear();
            return await CompareAsync(db, maintenance);
        });
    }

    /// <summary>Recounts from raw responses in C# and compares with every non-empty rollup row.</summary>
    internal static async Task<string?> CompareAsync(PromoterDb db, RollupMaintenance maintenance)
    {
        var calendar = await maintenance.CalendarAsync(CancellationToken.None);
        var segments = await db.SegmentKeys.Select(s => s.Key).ToListAsync();
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var r in await db.Responses.Where(r => r.Status == ResponseStatus.Final).ToListAsync())
        {
            foreach (var (dim, value) in RollupKeys.For(r.Channel, r.Language, r.Touchpoint, r.TeamMember, r.Properties, segments))
            {
                // The month is found from the local date independently of the production calendar helpers.
                var local = DateOnly.FromDateTime(DateTime.UnixEpoch.AddDays(calendar.DayOf(r.RespondedAt)));
                var month = new DateOnly(local.Year, local.Month, 1).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
                foreach (var key in new[] { $"{r.SurveyId}|{dim}|{value}|{calendar.DayOf(r.RespondedAt)}|{r.Score}", $"{r.SurveyId}|m:{dim}|{value}|{month}|{r.Score}" })
                {
                    expected[key] = expected.GetValueOrDefault(key) + 1;
                }
            }
        }

        var actual = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var row in await db.Rollups.ToListAsync())
        {
            long[] counts = [row.D0, row.D1, row.D2, row.D3, row.D4, row.D5, row.D6, row.D7, row.D8, row.D9, row.D10];
            for (var s = 0; s <= 10; s++)
            {
                if (counts[s] != 0)
                {
                    actual[$"{row.SurveyId}|{row.Dim}|{row.Value}|{row.Day}|{s}"] = counts[s];
                }
            }
        }

        var missing = expected.Where(e => actual.GetValueOrDefault(e.Key) != e.Value).Select(e => $"{e.Key}: expected {e.Value}, rollup {actual.GetValueOrDefault(e.Key)}");
        var extra = actual.Where(a => !expected.ContainsKey(a.Key)).Select(a => $"{a.Key}: rollup {a.Value}, expected 0");
        var problems = missing.Concat(extra).Take(10).ToList();
        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}
