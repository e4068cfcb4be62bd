using System.Diagnostics;
using Promoter.Core.Text;

namespace Promoter.Core.Tests.Text;

/// <summary>Sentences marked "seed" are taken from the real articles in shared/seeds (ar, mk, sv, th).</summary>
public sealed class TextAnalyzerTests
{
    private static readonly TextAnalyzer Analyzer = TextAnalyzer.Shared;

    private static List<string> Keys(string text, string language, IReadOnlyCollection<string>? excluded = null) =>
        Analyzer.Terms(text, language, excluded).Select(t => t.Key).ToList();

    private static List<string> Unigrams(string text, string language) =>
        Analyzer.Terms(text, language).Where(t => t.Words == 1).Select(t => t.Key).ToList();

    private static string Key(string word, string language) => Assert.Single(Unigrams(word, language));

    [Fact]
    public void Thai_words_are_found_without_spaces()
    {
        Assert.Equal(["บริการ", "ช้า", "มาก"], Unigrams("บริการช้ามาก", "th"));
    }

    [Fact]
    public void Thai_seed_sentence_is_segmented_into_dictionary_words_and_phrases()
    {
        // seed 004: "Closing the customer feedback loop is as important to a business as collecting customer feedback"
        var terms = Analyzer.Terms("การปิดลูปคำติชมของลูกค้ามีความสำคัญต่อธุรกิจเช่นเดียวกับการรวบรวมคำติชมของลูกค้า", "th");
        var unigrams = terms.Where(t => t.Words == 1).Select(t => t.Key).ToList();
        Assert.Contains("ลูกค้า", unigrams);   // customer
        Assert.Contains("ธุรกิจ", unigrams);   // business
        Assert.Contains("รวบรวม", unigrams);   // collect
        Assert.Contains("สำคัญ", unigrams);    // important (SARA AM survives normalisation)
        Assert.DoesNotContain("ของ", unigrams); // "of": a stop word
        Assert.DoesNotContain("การ", unigrams);
        Assert.Contains(terms, t => t is { Key: "คำ ติ ชม", Words: 3 }); // "feedback", three dictionary words
        Assert.All(terms, t => Assert.InRange(t.Words, 1, 3));
        Assert.All(terms, t => Assert.Equal(t.Words, t.Key.Split(' ').Length));
    }

    [Fact]
    public void Thai_phrase_keys_join_words_with_one_space_and_surfaces_as_written()
    {
        var terms = Analyzer.Terms("บริการช้ามาก", "th");
        Assert.Contains(terms, t => t is { Key: "บริการ ช้า", Surface: "บริการช้า", Words: 2 });
        Assert.Contains(terms, t => t is { Key: "บริการ ช้า มาก", Surface: "บริการช้ามาก", Words: 3 });
    }

    [Theory]
    [InlineData("الخدمة")]
    [InlineData("خدمه")]
    [InlineData("الخدمه")]
    [InlineData("الخِدْمَة")]   // with harakat
    [InlineData("الخـــدمة")]   // with tatweel
    public void Arabic_spelling_variants_give_one_key(string word)
    {
        Assert.Equal(Key("الخدمة", "ar"), Key(word, "ar"));
    }

    [Fact]
    public void Arabic_alef_variants_and_alef_maqsura_are_normalised()
    {
        Assert.Equal(Key("احمد", "ar"), Key("أحمد", "ar"));
        Assert.Equal(Key("احمد", "ar"), Key("إحمد", "ar"));
        Assert.Equal(Key("مستشفي", "ar"), Key("مستشفى", "ar"));
    }

    [Fact]
    public void Arabic_seed_sentence_drops_stop_words_and_keeps_the_surface()
    {
        // seed 000: "This customer base is loyal and happy with your services"
        var terms = Analyzer.Terms("قاعدة العملاء هذه مخلصة وسعيدة بخدماتك", "ar");
        var surfaces = terms.Select(t => t.Surface).ToList();
        Assert.Contains("العملاء", surfaces);
        Assert.Equal(Key("عملاء", "ar"), Assert.Single(terms, t => t.Surface == "العملاء").Key); // the article is stripped
        Assert.DoesNotContain("هذه", surfaces);           // "this": a stop word
        Assert.Contains("قاعدة العملاء", surfaces);
        Assert.Contains("مخلصة وسعيدة بخدماتك", surfaces);
        Assert.DoesNotContain(terms, t => t.Surface.Contains("العملاء مخلصة", StringComparison.Ordinal)); // no phrase across "هذه"
    }

    [Fact]
    public void Arabic_seed_sentence_with_scores_has_no_number_terms()
    {
        // seed 000: "happy customers who rated you 9 or 10"
        var terms = Analyzer.Terms("عملاء سعداء قاموا بتقييمك 9 أو 10", "ar");
        Assert.DoesNotContain(terms, t => t.Key.Any(char.IsDigit) || t.Surface == "أو");
        Assert.Contains(terms, t => t is { Surface: "عملاء سعداء", Words: 2 });
    }

    [Fact]
    public void Arabic_indic_digits_are_numbers_and_never_terms()
    {
        var keys = Keys("انتظرت ٣ أيام و ۱۲ ساعة", "ar");
        Assert.DoesNotContain(keys, k => k.Any(char.IsDigit) || k.Any(c => c is >= '\u0660' and <= '\u0669'));
        Assert.Contains(Key("ساعة", "ar"), keys);
    }

    [Fact]
    public void Swedish_stemming_merges_inflections()
    {
        Assert.Equal(Key("leveransen", "sv"), Key("leveranser", "sv"));
        Assert.Equal(Key("leveransen", "sv"), Key("leveranserna", "sv"));
        Assert.Equal(Key("kunderna", "sv"), Key("kunder", "sv"));
    }

    [Fact]
    public void Swedish_seed_sentence_gives_stemmed_keys_and_as_written_surfaces()
    {
        // seed 003: "The modern customer journey spans several channels and countless touchpoints."
        var terms = Analyzer.Terms("Den moderna kundresan finns över flera kanaler och otaliga kontaktpunkter.", "sv");
        var kanaler = Assert.Single(terms, t => t.Surface == "kanaler");
        Assert.Equal(Key("kanal", "sv"), kanaler.Key); // stemmed
        Assert.DoesNotContain(terms, t => t.Surface is "den" or "och" or "över");
        Assert.Contains(terms, t => t is { Surface: "moderna kundresan finns", Words: 3 });
        Assert.Contains(terms, t => t is { Surface: "otaliga kontaktpunkter", Words: 2 });
        // "finns över flera": "över" is a stop word, so no phrase spans it.
        Assert.DoesNotContain(terms, t => t.Surface == "finns flera");
    }

    [Fact]
    public void English_stemming_merges_inflections()
    {
        Assert.Equal(Key("delivery", "en"), Key("deliveries", "en"));
        Assert.Equal(Key("waiting", "en"), Key("waited", "en"));
        Assert.Equal(Key("price", "en"), Key("prices", "en"));
    }

    [Fact]
    public void English_phrases_of_two_and_three_words_never_span_stop_words_or_punctuation()
    {
        var terms = Analyzer.Terms("The delivery was slow. Customer support answered quickly, friendly staff", "en");
        var surfaces = terms.Select(t => t.Surface).ToList();
        Assert.Contains("customer support answered", surfaces);
        Assert.Contains("friendly staff", surfaces);
        Assert.DoesNotContain("delivery slow", surfaces);  // "was" between
        Assert.DoesNotContain("slow customer", surfaces);  // sentence break
        Assert.DoesNotContain("quickly friendly", surfaces); // comma
        Assert.DoesNotContain("the", surfaces);
        Assert.Equal(surfaces.Count, terms.Select(t => t.Key).Distinct().Count());
    }

    [Fact]
    public void Each_key_appears_once_with_its_first_surface()
    {
        var terms = Analyzer.Terms("Deliveries late. Delivery late again! DELIVERY", "en");
        var delivery = Assert.Single(terms, t => t.Key == Key("delivery", "en"));
        Assert.Equal("deliveries", delivery.Surface);
    }

    [Fact]
    public void Macedonian_stop_words_are_dropped_and_cyrillic_is_lower_cased()
    {
        // seed 002: "And I say this because at some point in our lives we have all experienced terrible customer service."
        var terms = Analyzer.Terms("И го велам ова затоа што, во одреден момент од нашите животи, сите сме доживеале ужасна услуга за клиентите.", "mk");
        var keys = terms.Where(t => t.Words == 1).Select(t => t.Key).ToList();
        Assert.Contains("велам", keys);
        Assert.Contains("ужасна", keys);
        Assert.Contains("услуга", keys);
        foreach (var stop in new[] { "и", "го", "ова", "затоа", "што", "во", "од", "сите", "сме", "за" })
        {
            Assert.DoesNotContain(stop, keys);
        }

        Assert.Contains(terms, t => t is { Key: "ужасна услуга", Words: 2 });
        Assert.Equal("моќта", Assert.Single(Unigrams("МОЌТА", "mk")));
    }

    [Fact]
    public void Numbers_urls_and_email_addresses_are_never_terms_and_break_phrases()
    {
        var terms = Analyzer.Terms("Great app 2024 see https://example.com/help or mail anna@example.com 3.5 stars order A12345 helpful team", "en");
        var keys = terms.Select(t => t.Surface).ToList();
        Assert.DoesNotContain(keys, k => k.Contains("example", StringComparison.Ordinal) || k.Contains('@') || k.Any(char.IsDigit));
        Assert.Contains("great app", keys);
        Assert.Contains("helpful team", keys);
        Assert.DoesNotContain("app see", keys);
    }

    [Fact]
    public void Excluded_names_are_never_terms_compared_after_normalisation()
    {
        var terms = Analyzer.Terms("Anna Svensson på kundtjänst hjälpte mig snabbt, tack ANNA! Annas svar var bra", "sv", ["Anna", "Svensson"]);
        Assert.DoesNotContain(terms, t => t.Surface.Contains("anna", StringComparison.Ordinal) || t.Surface.Contains("svensson", StringComparison.Ordinal));
        Assert.Contains(terms, t => t.Surface == "kundtjänst hjälpte");
        // an excluded word breaks a phrase rather than being skipped over
        Assert.DoesNotContain(terms, t => t.Surface == "tack svar");
    }

    [Fact]
    public void Invisible_characters_neither_split_nor_glue_words()
    {
        var plain = Keys("fast delivery", "en");
        Assert.Equal(plain, Keys("fa\u200Bst deli\u00ADvery", "en"));
        Assert.Equal(plain, Keys("\u200Efast\u200F \u2066delivery\u2069\uFEFF", "en"));
        Assert.Equal(Keys("الخدمة ممتازة", "ar"), Keys("الخد\u200Cمة\u200F ممتازة", "ar"));
    }

    [Fact]
    public void Hostile_input_is_fast_and_sane()
    {
        var inputs = new[]
        {
            new string('a', 5000),
            new string('ก', 5000),
            new string('!', 5000),
            string.Concat(Enumerable.Repeat("ab ", 5000)),
            string.Concat(Enumerable.Repeat("\u200B", 5000)),
            string.Concat(Enumerable.Repeat("\u0301", 5000)),
            string.Concat(Enumerable.Repeat("slow บริการช้ามาก الخدمة услуга 😀 ", 300)),
            "\uD800 lone \uDC00 surrogates",
            string.Concat(Enumerable.Repeat("บริการช้ามาก", 2000)), // 24,000 Thai letters without a space
        };
        var clock = Stopwatch.StartNew();
        foreach (var text in inputs)
        {
            foreach (var language in TextLanguages.Supported)
            {
                var terms = Analyzer.Terms(text, language);
                Assert.All(terms, t => Assert.InRange(t.Words, 1, 3));
                Assert.All(terms, t => Assert.True(t.Key.Length <= 3 * (TextAnalyzer.MaxWordLength + 1)));
                Assert.Equal(terms.Count, terms.Select(t => t.Key).Distinct().Count());
            }
        }

        Assert.Empty(Analyzer.Terms(new string('a', 5000), "en"));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"hostile inputs took {clock.Elapsed}");
    }

    [Fact]
    public void Terms_are_the_same_from_many_threads()
    {
        var expected = Keys("บริการช้ามาก but the delivery was fast", "en");
        Parallel.For(0, 200, _ => Assert.Equal(expected, Keys("บริการช้ามาก but the delivery was fast", "en")));
    }

    [Fact]
    public void Empty_and_whitespace_text_has_no_terms()
    {
        Assert.Empty(Analyzer.Terms("", "en"));
        Assert.Empty(Analyzer.Terms("   \n\t", "sv"));
        Assert.Empty(Analyzer.Terms("the and of", "en"));
    }

    [Fact]
    public void An_unsupported_language_falls_back_to_the_script()
    {
        Assert.Equal(Keys("บริการช้ามาก", "th"), Keys("บริการช้ามาก", "fr"));
        Assert.Equal(Keys("leveranserna", "sv"), Keys("leveranserna", "sv-SE"));
    }

    [Theory]
    [InlineData("slow delivery", "en", "slow deliveri")]
    [InlineData("The deliveries", "en", "deliveri")]
    [InlineData("Leveransen", "sv", "leverans")]
    [InlineData("บริการช้า", "th", "บริการ ช้า")]
    public void TryKey_gives_the_key_comments_produce(string phrase, string language, string expected)
    {
        Assert.True(Analyzer.TryKey(phrase, language, out var key, out var error), error);
        Assert.Equal(expected, key);
        Assert.Null(error);
        Assert.Contains(Analyzer.Terms("We had " + phrase + " here", language), t => t.Key == key);
    }

    [Fact]
    public void TryKey_keys_arabic_variants_alike()
    {
        Assert.True(Analyzer.TryKey("الخدمة", "ar", out var a, out _));
        Assert.True(Analyzer.TryKey("خدمه", "ar", out var b, out _));
        Assert.Equal(a, b);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("the of and", "no word")]
    [InlineData("2024", "no word")]
    [InlineData("slow rude late delivery", "4 words")]
    [InlineData("delivery of parcels", "split")]
    [InlineData("slow, rude", "split")]
    public void TryKey_rejects_what_could_never_match_with_a_message(string phrase, string expected)
    {
        Assert.False(Analyzer.TryKey(phrase, "en", out var key, out var error));
        Assert.Equal("", key);
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }
}
