using System.Globalization;
using System.Text;

namespace Promoter.Tests.Integrations.Delighted.Import;

/// <summary>
/// A generated file shaped like Delighted's survey response export, and what an import of it must produce, counted
/// while writing (independently of the importer): the score tally of the rows that have a score, the rows without one,
/// the distinct emails.
/// </summary>
internal sealed class DelightedExportFile
{
    public const string Header =
        "Response ID,Score,Comment,Response timestamp,Email,Name,Person ID,Tags,Notes,Permalink,Survey type,Delighted Source,Plan,Country (ISO),locale";

    private static readonly string[] s_comments =
    [
        "",
        "الخدمة ممتازة، شكراً جزيلاً",
        "\"บริการดีมาก, ขอบคุณครับ\"",
        "\"Bra, men \"\"dyr\"\"\nleverans\"",
        "\"Одлична услуга, брза испорака\"",
        "\"Slow checkout, friendly staff, would come back\"",
        "<script>alert('x')</script>",
        "\"Line one\r\nLine two, with a comma\"",
        "😀 great",
        "=HYPERLINK(\"\"http://evil\"\")".Insert(0, "\"") + "\"",
    ];

    private static readonly string[] s_locales = ["en", "ar", "th", "sv", "mk"];

    public required string Path { get; init; }
    public required int Rows { get; init; }
    public required long[] Distribution { get; init; }
    public required int WithoutScore { get; init; }
    public required int DistinctEmails { get; init; }

    public long Scored => Distribution.Sum();
    public long Promoters => Distribution[9] + Distribution[10];
    public long Passives => Distribution[7] + Distribution[8];
    public long Detractors => Distribution[..7].Sum();

    /// <summary>NPS in points, computed here from the tally: (promoters − detractors) / answers × 100.</summary>
    public double Nps => (Promoters - Detractors) * 100.0 / Scored;

    public static DelightedExportFile Write(string directory, int rows, int seed = 11)
    {
        var random = new Random(seed);
        var path = System.IO.Path.Combine(directory, $"delighted-{rows}-{Guid.NewGuid():N}.csv");
        var distribution = new long[11];
        var emails = new HashSet<string>(StringComparer.Ordinal);
        var withoutScore = 0;
        var start = new DateTimeOffset(2023, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false));
        writer.Write(Header + "\r\n");
        for (var i = 0; i < rows; i++)
        {
            string score;
            if (i % 29 == 5)
            {
                score = "";
                withoutScore++;
            }
            else
            {
                var value = random.Next(0, 11);
                distribution[value]++;
                score = value.ToString(CultureInfo.InvariantCulture);
            }

            var person = random.Next(rows / 3 + 1);
            var email = random.Next(10) < 7 ? $"person{person}@example.com" : "";
            if (email.Length > 0 && score.Length > 0)
            {
                emails.Add(email);
            }

            var at = start.AddSeconds(random.Next(0, 60_000_000));
            // Delighted's own form, ISO-8601 and Unix seconds all appear in files people assembled from exports.
            var time = (i % 3) switch
            {
                0 => at.ToOffset(TimeSpan.FromHours(-8)).ToString("yyyy-MM-dd HH:mm:ss zzz", CultureInfo.InvariantCulture).Remove(23, 1),
                1 => at.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                _ => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
            };
            var name = email.Length == 0 ? "" : (i % 4 == 0 ? "فاطمة الزهراء" : "\"Pat, Q.\"");
            var tags = (i % 6) switch { 0 => "\"Pricing, Support\"", 1 => "Onboarding", _ => "" };
            var notes = i % 50 == 0 ? "\"Called back on Monday.\nCustomer happy, closing.\"" : "";
            writer.Write(string.Create(CultureInfo.InvariantCulture,
                $"{9_000_000 + i},{score},{s_comments[i % s_comments.Length]},{time},{email},{name},{person},{tags},{notes},https://app.delighted.com/r/r{i:x},nps," +
                $"{(i % 3 == 0 ? "email" : "web")},{(i % 2 == 0 ? "pro" : "free")},{(i % 5 == 0 ? "TH" : "SE")},{s_locales[i % s_locales.Length]}\r\n"));
        }

        return new DelightedExportFile { Path = path, Rows = rows, Distribution = distribution, WithoutScore = withoutScore, DistinctEmails = emails.Count };
    }
}
