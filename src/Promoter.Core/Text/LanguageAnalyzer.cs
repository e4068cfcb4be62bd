using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Ar;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Snowball;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Sv;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Tartarus.Snowball.Ext;
using Lucene.Net.Util;

namespace Promoter.Core.Text;

/// <summary>
/// One Lucene analysis chain per language: the UAX#29 tokenizer that also recognises URLs and e-mail addresses, then
/// lower-casing, Lucene's stop words (ours for mk and th, shipped in <c>Text/Stopwords</c>) and the language's
/// normaliser/stemmer. A stop word leaves a position gap, which <see cref="TextAnalyzer"/> reads as a phrase break.
/// Lucene reuses each chain per thread, so one instance serves all threads.
/// </summary>
internal sealed class LanguageAnalyzer : Analyzer
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>
    /// Longer tokens are skipped by the tokenizer. Generous because a Thai run without spaces is one token until ICU
    /// splits it; a Latin "word" this long is garbage and is dropped later anyway.
    /// </summary>
    public const int MaxTokenLength = 2048;

    private LanguageAnalyzer(string language, CharArraySet stopWords, CharArraySet? normalizedStopWords)
    {
        Language = language;
        StopWords = stopWords;
        NormalizedStopWords = normalizedStopWords;
    }

    public string Language { get; }

    public CharArraySet StopWords { get; }

    private CharArraySet? NormalizedStopWords { get; }

    /// <summary>Thai stop words, checked on the words ICU finds inside a Thai run (whatever the comment's language).</summary>
    public static CharArraySet ThaiStopWords { get; } = LoadStopWords("th");

    public static LanguageAnalyzer Create(string language) => language switch
    {
        TextLanguages.English => new LanguageAnalyzer(language, EnglishAnalyzer.DefaultStopSet, null),
        TextLanguages.Swedish => new LanguageAnalyzer(language, SwedishAnalyzer.DefaultStopSet, null),
        TextLanguages.Arabic => new LanguageAnalyzer(language, ArabicAnalyzer.DefaultStopSet, NormalizeArabic(ArabicAnalyzer.DefaultStopSet)),
        TextLanguages.Macedonian => new LanguageAnalyzer(language, LoadStopWords("mk"), null),
        TextLanguages.Thai => new LanguageAnalyzer(language, ThaiStopWords, null),
        _ => throw new ArgumentOutOfRangeException(nameof(language), language, "Unsupported language."),
    };

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new UAX29URLEmailTokenizer(Version, reader) { MaxTokenLength = MaxTokenLength };
        TokenStream stream = source;
        if (Language == TextLanguages.English)
        {
            stream = new EnglishPossessiveFilter(Version, stream);
        }

        stream = new LowerCaseFilter(Version, stream);
        stream = new StopFilter(Version, stream, StopWords);
        switch (Language)
        {
            case TextLanguages.English:
                stream = new PorterStemFilter(stream);
                break;
            case TextLanguages.Swedish:
                stream = new SnowballFilter(stream, new SwedishStemmer());
                break;
            case TextLanguages.Arabic:
                // As Lucene's ArabicAnalyzer: stop words, normalisation, light stemming; plus the stop words once more
                // after normalisation, so "الى" written without its hamza is still a stop word.
                stream = new ArabicNormalizationFilter(stream);
                stream = new StopFilter(Version, stream, NormalizedStopWords);
                stream = new ArabicStemFilter(stream);
                break;
            default:
                break;
        }

        return new TokenStreamComponents(source, stream);
    }

    private static CharArraySet NormalizeArabic(CharArraySet words)
    {
        var normalizer = new ArabicNormalizer();
        var set = new CharArraySet(Version, words.Count, ignoreCase: false);
        foreach (var word in words)
        {
            var buffer = word.ToCharArray();
            var length = normalizer.Normalize(buffer, buffer.Length);
            set.Add(new string(buffer, 0, length));
        }

        return set.AsReadOnly();
    }

    private static CharArraySet LoadStopWords(string language)
    {
        var name = $"Promoter.Core.Text.Stopwords.{language}.txt";
        using var stream = typeof(LanguageAnalyzer).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"The stop-word list {name} is not embedded in {typeof(LanguageAnalyzer).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        var words = new List<string>();
        while (reader.ReadLine() is { } line)
        {
            var word = line.Trim();
            if (word.Length > 0 && word[0] != '#')
            {
                words.Add(word.ToLowerInvariant());
            }
        }

        return new CharArraySet(Version, words, ignoreCase: false).AsReadOnly();
    }
}
