using System.Text;

namespace Promoter.Bench;

/// <summary>
/// Realistic NPS comments for the <c>why</c> bench: mostly English and Swedish, some Arabic, Thai and Macedonian. A comment is
/// a real customer-comment fragment typical of its category (often), then one or two runs of words drawn from the language's
/// vocabulary with Zipf weights (exponent 1.07, rank = frequency rank). The Arabic, Macedonian and Swedish vocabularies are
/// the words of the seed articles by frequency; the English and Thai ones are customer-feedback words. Detractors and
/// promoters draw a quarter of their words from different slices of the vocabulary, so the two groups use partly different
/// words. Thai runs are written without spaces, as Thai is. Deterministic for a given <see cref="Random"/>.
/// </summary>
internal sealed class CommentCorpus
{
    private sealed record Language(string Code, double Share, string[] Words, double[] All, double[] Detractor, double[] Promoter, bool NoSpaces,
        string[] DetractorFragments, string[] PassiveFragments, string[] PromoterFragments);

    private readonly Language[] _languages;
    private readonly double[] _shares;

    private CommentCorpus(Language[] languages)
    {
        _languages = languages;
        _shares = Cumulative(languages.Select(l => l.Share).ToArray());
    }

    public static CommentCorpus Load() => new(
    [
        Make("en", 0.42, false,
            ["Support took a week to answer", "The app keeps crashing when I upload photos", "Price is too high for what you get",
             "Delivery was late again", "Nobody called me back", "Billing charged me twice", "Too many bugs since the last update",
             "I was on hold for an hour", "The refund never arrived"],
            ["It does the job", "Good product but expensive", "Okay overall, setup was slow", "Decent service, nothing special"],
            ["Great support, fast answers", "Love the new dashboard", "Friendly staff and quick delivery", "Easy to use and reliable",
             "The team solved my problem in minutes", "Best customer service I have had", "Excellent value for money"]),
        Make("sv", 0.33, false,
            ["Kundtjänsten svarade inte på tre dagar", "Leveransen kom för sent", "Alldeles för dyrt", "Appen kraschar hela tiden",
             "Ingen ringde tillbaka", "Fakturan var fel igen"],
            ["Helt okej men lite dyrt", "Fungerar för det mesta", "Bra produkt men krånglig start"],
            ["Bra service och snabb leverans", "Mycket trevlig personal", "Enkelt att använda", "Snabbt svar från supporten",
             "Rekommenderar varmt", "Prisvärt och pålitligt"]),
        Make("ar", 0.10, false,
            ["التطبيق بطيء جداً", "التوصيل متأخر دائماً", "الخدمه سيئة ولم يرد أحد", "الأسعار مرتفعة جداً", "لم أستلم المبلغ المسترد"],
            ["الخدمة مقبولة", "المنتج جيد لكن السعر مرتفع"],
            ["خدمة ممتازة وسريعة، شكراً لكم", "فريق الدعم متعاون جداً", "الخدمه رائعة والتوصيل سريع", "أنصح به بشدة"]),
        Make("th", 0.08, true,
            ["ส่งของช้ามาก", "บริการช้ามาก", "ราคาแพงเกินไป", "แอปล่มบ่อย", "รอสายนานมาก"],
            ["ก็โอเค", "สินค้าดีแต่ราคาแพง"],
            ["บริการดีมาก พนักงานสุภาพ", "ส่งของเร็วมาก", "ประทับใจมาก", "แนะนำให้เพื่อน"]),
        Make("mk", 0.07, false,
            ["Испораката доцнеше две недели", "Никој не одговори на мојот мејл", "Многу скапо за тоа што го добивате", "Апликацијата постојано паѓа"],
            ["Во ред е, ништо посебно", "Добар производ, но скап"],
            ["Одлична услуга, брза испорака", "Љубезен и стручен персонал", "Секогаш брзо одговараат", "Препорачувам на сите"]),
    ]);

    private static Language Make(string code, double share, bool noSpaces, string[] detractor, string[] passive, string[] promoter)
    {
        var words = Vocabulary(code);
        var weights = Enumerable.Range(0, words.Length).Select(r => 1 / Math.Pow(r + 1, 1.07)).ToArray();
        // Different slices of the vocabulary lean to each side (every 5th word from rank 20 to detractors, the next to promoters).
        var detractorWeights = weights.Select((w, r) => r >= 20 && r % 5 == 0 ? w : 0).ToArray();
        var promoterWeights = weights.Select((w, r) => r >= 20 && r % 5 == 1 ? w : 0).ToArray();
        return new Language(code, share, words, Cumulative(weights), Cumulative(detractorWeights), Cumulative(promoterWeights), noSpaces, detractor, passive, promoter);
    }

    private static string[] Vocabulary(string code)
    {
        using var stream = typeof(CommentCorpus).Assembly.GetManifestResourceStream($"Promoter.Bench.WhyVocabulary.{code}.txt")
                           ?? throw new InvalidOperationException($"No vocabulary for {code}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    private static double[] Cumulative(double[] weights)
    {
        var sum = weights.Sum();
        var cdf = new double[weights.Length];
        double running = 0;
        for (var i = 0; i < weights.Length; i++)
        {
            running += weights[i] / sum;
            cdf[i] = running;
        }

        cdf[^1] = 1;
        return cdf;
    }

    private static int Pick(double[] cdf, double u)
    {
        var i = Array.BinarySearch(cdf, u);
        return Math.Min(cdf.Length - 1, i < 0 ? ~i : i);
    }

    /// <summary>One comment for a response with this score: (language code, comment).</summary>
    public (string Language, string Comment) Next(Random random, int score, StringBuilder buffer)
    {
        var language = _languages[Pick(_shares, random.NextDouble())];
        var category = score <= 6 ? 0 : score <= 8 ? 1 : 2;
        buffer.Clear();
        if (random.Next(10) < 7)
        {
            var fragments = category switch { 0 => language.DetractorFragments, 1 => language.PassiveFragments, _ => language.PromoterFragments };
            buffer.Append(fragments[random.Next(fragments.Length)]);
        }

        var runs = random.Next(1, 3);
        for (var run = 0; run < runs; run++)
        {
            if (buffer.Length > 0)
            {
                buffer.Append(random.Next(2) == 0 ? ", " : ". ");
            }

            var length = random.Next(2, 8);
            for (var w = 0; w < length; w++)
            {
                var lean = random.Next(4) == 0 && category != 1;
                var cdf = lean ? (category == 0 ? language.Detractor : language.Promoter) : language.All;
                if (w > 0 && !language.NoSpaces)
                {
                    buffer.Append(' ');
                }

                buffer.Append(language.Words[Pick(cdf, random.NextDouble())]);
            }
        }

        return (language.Code, buffer.ToString());
    }
}
