using System.Globalization;
using System.Text;

namespace Promoter.Bench;

/// <summary>
/// Writes a realistic response export: skewed scores, comments in five languages (some quoted, with commas, quotes
/// and line breaks), 70 % of rows from ~N/5 repeat contacts, times over two years with and without offsets.
/// Deterministic for a given seed. Also returns the score distribution it wrote, to check what was stored.
/// </summary>
internal static class CsvGenerator
{
    public const string Header = "score,comment,responded_at,email,name,locale,language,channel,team_member,touchpoint,plan,region";

    private static readonly string[] s_comments =
    [
        "Great support, fast answers",
        "The app keeps crashing when I upload photos",
        "Price is too high for what you get",
        "Love the new dashboard, \"finally\" a clear overview",
        "Delivery was late, again.\nSecond time this month",
        "Bra service och snabb leverans",
        "Kundtjänsten svarade inte på tre dagar",
        "خدمة ممتازة وسريعة، شكراً لكم",
        "التطبيق بطيء جداً",
        "บริการดีมาก พนักงานสุภาพ",
        "ส่งของช้ามาก",
        "Одлична услуга, брза испорака",
        "Premium plan, ok; onboarding could be better",
        "=HYPERLINK(\"http://example.invalid\";\"click\")",
    ];

    private static readonly string[] s_names = ["Anna Berg", "Omar Haddad", "Somchai Dee", "Elena Petrova", "John Smith", "Lina Saad", "Marko Nikolov"];
    private static readonly string[] s_locales = ["en", "sv", "ar", "th", "mk"];
    private static readonly string[] s_agents = ["alice", "bob", "carol", "dave", "erin", "frank"];
    private static readonly string[] s_touchpoints = ["order delivered", "ticket closed", "onboarding", ""];
    private static readonly string[] s_plans = ["free", "pro", "business", "enterprise"];
    private static readonly string[] s_regions = ["EMEA", "APAC", "AMER"];

    public static long[] Write(string path, int rows, int seed = 42)
    {
        var random = new Random(seed);
        var distribution = new long[11];
        var contacts = Math.Max(1, rows / 5);
        var start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var span = (long)TimeSpan.FromDays(700).TotalSeconds;
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.NewLine = "\n";
        writer.WriteLine(Header);
        var line = new StringBuilder(256);
        for (var i = 0; i < rows; i++)
        {
            var score = random.NextDouble() switch { < 0.25 => random.Next(0, 7), < 0.5 => random.Next(7, 9), _ => random.Next(9, 11) };
            distribution[score]++;
            line.Clear();
            line.Append(score.ToString(CultureInfo.InvariantCulture)).Append(',');
            if (random.Next(10) < 6)
            {
                Quoted(line, s_comments[random.Next(s_comments.Length)]);
            }

            line.Append(',');
            var at = start.AddSeconds(random.NextInt64(span));
            line.Append(random.Next(4) == 0
                ? new DateTimeOffset(at).ToOffset(TimeSpan.FromHours(2)).ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture)
                : at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            line.Append(',');
            if (random.Next(10) < 7)
            {
                var person = random.Next(contacts);
                line.Append("person").Append(person.ToString(CultureInfo.InvariantCulture)).Append("@example.com,");
                line.Append(s_names[person % s_names.Length]).Append(',').Append(s_locales[person % s_locales.Length]).Append(',');
            }
            else
            {
                line.Append(",,,");
            }

            line.Append(s_locales[random.Next(s_locales.Length)]).Append(',');
            line.Append(random.Next(3) == 0 ? "email" : "").Append(',');
            line.Append(s_agents[random.Next(s_agents.Length)]).Append(',');
            line.Append(s_touchpoints[random.Next(s_touchpoints.Length)]).Append(',');
            line.Append(s_plans[random.Next(s_plans.Length)]).Append(',');
            line.Append(s_regions[random.Next(s_regions.Length)]);
            writer.WriteLine(line);
        }

        return distribution;
    }

    private static void Quoted(StringBuilder line, string text)
    {
        if (text.AsSpan().IndexOfAny(",\"\n") < 0)
        {
            line.Append(text);
            return;
        }

        line.Append('"').Append(text.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
    }
}
