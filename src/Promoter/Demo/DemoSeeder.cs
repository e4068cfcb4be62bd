using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Metrics;
using Promoter.Platform;
using Promoter.Surveys;

namespace Promoter.Demo;

/// <summary>
/// A populated workspace for newcomers (<c>serve --demo</c>, <c>promoter demo</c>): two surveys in five languages,
/// contacts with plans and regions, six months of responses from several channels and team members (with a bad
/// month the trend chart flags), multilingual comments. Idempotent: a second run finds the demo and leaves it.
/// </summary>
public sealed class DemoSeeder(PromoterDb db, WorkspaceAdmin admin, SurveyEditor editor, RollupMaintenance rollups, TimeProvider clock)
{
    public const string WorkspaceName = "Demo";
    public const string OwnerEmail = "demo@promoter.local";
    public const string OwnerPassword = "demo-password-123";
    public const int Responses = 3_000;

    private static readonly string[] Team = ["Amira", "Björn", "Chanida", "Dimitar", "Emma"];
    private static readonly string[] Plans = ["free", "pro", "business"];
    private static readonly string[] Regions = ["Nordics", "MENA", "Balkans", "SE Asia"];
    private static readonly (string Language, string[] Detractor, string[] Passive, string[] Promoter)[] Comments =
    [
        ("en", ["Support took three days to answer.", "The app crashes when I upload photos.", "Too expensive for what it does."],
               ["Good, but the reports are hard to find.", "Fine overall; onboarding could be clearer."],
               ["Amazing support, solved in minutes!", "Love the new dashboard.", "Best tool we use every day."]),
        ("sv", ["Kundtjänsten svarade inte på tre dagar.", "Leveransen kom sent igen."], ["Bra, men priset är högt."], ["Snabb och trevlig service!", "Fungerar alltid, tack!"]),
        ("ar", ["التطبيق بطيء جداً.", "لم يرد أحد على رسالتي."], ["جيد لكن الأسعار مرتفعة."], ["خدمة ممتازة وسريعة، شكراً لكم!"]),
        ("mk", ["Испораката доцнеше две недели."], ["Добро, но може подобро."], ["Одлична услуга, брза испорака!"]),
        ("th", ["ส่งของช้ามาก"], ["ใช้ได้ แต่ราคาสูงไปหน่อย"], ["บริการดีมาก พนักงานสุภาพ"]),
    ];

    public sealed record Outcome(Guid? WorkspaceId, bool Created, string Message)
    {
        /// <summary>Nothing was seeded because the database holds someone's real workspaces.</summary>
        public bool Refused => WorkspaceId is null;
    }

    [SuppressMessage("Security", "CA5394:Do not use insecure randomness", Justification = "Demo data, seeded for repeatability; nothing secret.")]
    public async Task<Outcome> SeedAsync(CancellationToken ct, bool besideRealWorkspaces = false)
    {
        var existing = await db.Workspaces.SingleOrDefaultAsync(w => w.Name == WorkspaceName, ct);
        if (existing is not null)
        {
            return new Outcome(existing.Id, false, $"Demo workspace already present. Sign in as {OwnerEmail} / {OwnerPassword}.");
        }

        // A demo asked for "in a fresh directory" must not land in the user's real database by mistake.
        var real = await db.Workspaces.OrderBy(w => w.CreatedAt).Select(w => w.Name).Take(3).ToListAsync(ct);
        if (real.Count > 0 && !besideRealWorkspaces)
        {
            return new Outcome(null, false,
                $"Not adding the demo: this database already holds {(real.Count == 1 ? "a workspace" : "workspaces")} ({string.Join(", ", real.Select(n => $"'{n}'"))}), " +
                "and demo data would mix with it. Start the demo in an empty directory (or with another Database:ConnectionString), " +
                "or add --force-demo to add the demo workspace beside them.");
        }

        var created = await admin.CreateAsync(WorkspaceName, OwnerEmail, OwnerPassword, "Dana Demo", ct);
        await admin.AddMemberAsync("viewer@promoter.local", "Vic Viewer", OwnerPassword, "viewer", Role.Owner, ct);
        await admin.AddMemberAsync("agent@promoter.local", "Alex Agent", OwnerPassword, "agent", Role.Owner, ct);
        var workspace = await db.Workspaces.SingleAsync(w => w.Id == created.Workspace.Id, ct);
        workspace.TimeZone = "Europe/Stockholm";
        await db.SaveChangesAsync(ct);
        await rollups.ChangeTimeZoneAsync(TimeZoneInfo.FindSystemTimeZoneById(workspace.TimeZone), ct);
        await rollups.ReplaceSegmentsAsync(["plan", "region"], clock.GetUtcNow().UtcDateTime, ct);

        var relationship = editor.Create(new SurveyInput
        {
            Name = "Quarterly relationship NPS",
            BrandName = "Northwind Cloud",
            Languages = ["en", "sv", "ar", "mk", "th"],
            DefaultLanguage = "en",
            ThankYouLinks = new() { [Core.NpsCategory.Promoter] = "https://example.com/review" },
            Questions =
            [
                new AdditionalQuestion
                {
                    Id = "improve", Type = QuestionType.MultipleChoice, ShowTo = [Core.NpsCategory.Detractor, Core.NpsCategory.Passive],
                    Label = new() { ["en"] = "What should we improve first?", ["sv"] = "Vad ska vi förbättra först?" },
                    Options =
                    [
                        new QuestionOption { Id = "price", Label = new() { ["en"] = "Price", ["sv"] = "Pris" } },
                        new QuestionOption { Id = "speed", Label = new() { ["en"] = "Speed", ["sv"] = "Hastighet" } },
                        new QuestionOption { Id = "support", Label = new() { ["en"] = "Support", ["sv"] = "Support" } },
                    ],
                },
            ],
        });
        var support = editor.Create(new SurveyInput
        {
            Name = "Support ticket closed", BrandName = "Northwind Support", Kind = SurveyKind.Transactional, Languages = ["en", "sv"],
        });
        db.Surveys.AddRange(relationship, support);

        var random = new Random(42);
        var now = clock.GetUtcNow().UtcDateTime;
        var contacts = Enumerable.Range(0, 400).Select(i => new Contact
        {
            Id = Guid.CreateVersion7(),
            Email = $"customer{i}@example.com",
            EmailKey = $"customer{i}@example.com",
            Name = $"Customer {i}",
            Locale = Comments[i % Comments.Length].Language,
            Properties = PropertyBags.Write(new Dictionary<string, string> { ["plan"] = Plans[i % 3], ["region"] = Regions[i % 4] }) ?? "{}",
            CreatedAt = now.AddDays(-200),
            UpdatedAt = now.AddDays(-200),
        }).ToList();
        db.Contacts.AddRange(contacts);

        for (var i = 0; i < Responses; i++)
        {
            var contact = contacts[random.Next(contacts.Count)];
            var daysAgo = random.Next(0, 180);
            var agent = Team[random.Next(Team.Length)];
            // A rough month 70–100 days ago (a release gone wrong) and a team member customers love.
            var mood = random.NextDouble() + (daysAgo is >= 70 and < 100 ? -0.3 : 0) + (agent == "Chanida" ? 0.1 : 0);
            var score = (short)(mood switch { < 0.2 => random.Next(0, 7), < 0.45 => random.Next(7, 9), _ => random.Next(9, 11) });
            var language = contact.Locale!;
            var texts = Comments.First(c => c.Language == language);
            var pool = score <= 6 ? texts.Detractor : score <= 8 ? texts.Passive : texts.Promoter;
            var isSupport = i % 3 == 0;
            db.Responses.Add(new SurveyResponse
            {
                SurveyId = isSupport ? support.Id : relationship.Id,
                ContactId = contact.Id,
                Score = score,
                Comment = random.Next(3) == 0 ? null : pool[random.Next(pool.Length)],
                Language = isSupport && language is not ("en" or "sv") ? "en" : language,
                Channel = isSupport ? "helpdesk" : random.Next(4) == 0 ? Channels.Link : Channels.Email,
                Status = ResponseStatus.Final,
                TeamMember = isSupport ? agent : null,
                Touchpoint = isSupport ? "ticket closed" : null,
                Properties = contact.Properties,
                RespondedAt = now.AddDays(-daysAgo).AddMinutes(-random.Next(0, 1440)),
                CreatedAt = now,
                UpdatedAt = now,
            });
        }

        await db.SaveChangesAsync(ct);
        return new Outcome(created.Workspace.Id, true,
            $"Created the demo workspace with {Responses:N0} responses. Sign in as {OwnerEmail} / {OwnerPassword} (also viewer@promoter.local and agent@promoter.local, same password).");
    }
}
