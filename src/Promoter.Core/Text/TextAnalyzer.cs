using System.Collections.Frozen;
using System.Globalization;
using System.Text;
using ICU4N.Globalization;
using ICU4N.Text;
using Lucene.Net.Analysis.TokenAttributes;

namespace Promoter.Core.Text;

/// <summary>
/// Turns a comment into the terms that are counted for keyness and matched by themes: words and phrases of 2–3
/// consecutive content words, normalised and stemmed per language. Thread-safe; use <see cref="Shared"/>.
/// </summary>
/// <remarks>
/// Steps: invisible characters (zero-width, bidi marks, soft hyphen, other format characters) are removed so they
/// neither split nor glue words; Arabic-Indic digits become ASCII digits; NFKC folds compatibility forms (Arabic
/// presentation forms, full-width Latin, ligatures). Lucene's UAX#29 tokenizer then finds words, numbers, URLs and
/// e-mail addresses, and the language's chain lower-cases, drops stop words and stems (<see cref="LanguageAnalyzer"/>).
/// A run of Thai letters is split into words by ICU's dictionary break iterator, in any language. A phrase never
/// spans anything but spaces: a stop word, number, URL, e-mail address, excluded word, punctuation or line break
/// starts a new phrase. Work is bounded: only the first <see cref="MaxTextLength"/> characters are read.
/// </remarks>
public sealed class TextAnalyzer
{
    /// <summary>Characters of a comment that are analysed; the rest is ignored (bounds the work on hostile input).</summary>
    public const int MaxTextLength = 20_000;

    /// <summary>A word longer than this (after normalisation) is not a term: it is a hash, a token or garbage.</summary>
    public const int MaxWordLength = 40;

    /// <summary>Most words in a phrase.</summary>
    public const int MaxPhraseWords = 3;

    private const string FieldName = "text";

    [ThreadStatic]
    private static Scratch? t_scratch;

    private readonly FrozenDictionary<string, LanguageAnalyzer> _analyzers;

    private TextAnalyzer() =>
        _analyzers = TextLanguages.Supported.ToFrozenDictionary(l => l, LanguageAnalyzer.Create, StringComparer.Ordinal);

    public static TextAnalyzer Shared { get; } = new();

    /// <summary>
    /// The distinct terms of one comment (each <see cref="Term.Key"/> once, with the surface of its first occurrence),
    /// in order of appearance: unigrams and phrases of 2–3 consecutive content words. Stop words, numbers, URLs,
    /// e-mail addresses and <paramref name="excludedWords"/> never become terms and break phrases.
    /// </summary>
    /// <param name="text">The comment; null or empty gives no terms.</param>
    /// <param name="language">One of <see cref="TextLanguages.Supported"/>; anything else (e.g. "sv-SE", "fr") goes
    /// through <see cref="TextLanguages.Resolve"/> first.</param>
    /// <param name="excludedWords">Names from the contact record (e.g. "Anna", "Svensson"): never terms, compared after
    /// normalisation and stemming, so "Annas" is excluded with "Anna".</param>
    public IReadOnlyList<Term> Terms(string text, string language, IReadOnlyCollection<string>? excludedWords = null)
    {
        if (string.IsNullOrEmpty(text))
        {
            return [];
        }

        var analyzer = AnalyzerFor(language, text);
        var scratch = t_scratch ??= new Scratch();
        var excluded = excludedWords is { Count: > 0 } ? ExcludedKeys(analyzer, excludedWords, scratch) : null;
        var words = scratch.Words;
        Tokenize(analyzer, text, excluded, scratch, words);
        var seen = scratch.Seen;
        var terms = new List<Term>();
        Word previous = default, beforePrevious = default;
        foreach (var word in words)
        {
            if (word.IsBreak)
            {
                previous = beforePrevious = default;
                continue;
            }

            Add(word.Key, word.Surface, 1);
            if (!previous.IsBreak && previous.Key != word.Key)
            {
                var pair = Join(previous.Surface, word.Surface);
                Add(previous.Key + " " + word.Key, pair, 2);
                if (!beforePrevious.IsBreak)
                {
                    Add(beforePrevious.Key + " " + previous.Key + " " + word.Key, Join(beforePrevious.Surface, pair), 3);
                }
            }

            beforePrevious = previous;
            previous = word;
        }

        seen.Clear();
        words.Clear();
        return terms;

        void Add(string key, string surface, int count)
        {
            if (seen.Add(key))
            {
                terms.Add(new Term(key, surface, count));
            }
        }
    }

    /// <summary>
    /// The key of a theme term or phrase typed by a user, through the same pipeline as <see cref="Terms"/>, so it
    /// matches the terms of comments. False, with a message for the user, when the phrase has no content word, more
    /// than 3, or content words separated by a stop word, number or punctuation (such a phrase could never match).
    /// </summary>
    public bool TryKey(string phrase, string language, out string key, out string? error)
    {
        key = "";
        if (string.IsNullOrWhiteSpace(phrase))
        {
            error = "A theme term cannot be empty.";
            return false;
        }

        var analyzer = AnalyzerFor(language, phrase);
        var scratch = t_scratch ??= new Scratch();
        var words = scratch.Words;
        try
        {
            Tokenize(analyzer, phrase, null, scratch, words);
            var first = words.FindIndex(w => !w.IsBreak);
            var last = words.FindLastIndex(w => !w.IsBreak);
            var shown = phrase.Length > 60 ? phrase[..60] + "…" : phrase;
            if (first < 0)
            {
                error = $"“{shown}” has no word that can be matched: stop words, numbers, links, e-mail addresses and punctuation are never terms.";
                return false;
            }

            var content = words.Where(w => !w.IsBreak).Select(w => w.Key).ToList();
            if (content.Count > MaxPhraseWords)
            {
                error = $"“{shown}” has {content.Count} words; a theme term is one word or a phrase of at most {MaxPhraseWords} words.";
                return false;
            }

            if (words.Skip(first).Take(last - first + 1).Any(w => w.IsBreak))
            {
                error = $"“{shown}” is split by a stop word, number or punctuation, and phrases match only words written next to each other; enter its words as separate terms.";
                return false;
            }

            key = string.Join(' ', content);
            error = null;
            return true;
        }
        finally
        {
            words.Clear();
        }
    }

    private LanguageAnalyzer AnalyzerFor(string language, string text) =>
        _analyzers.TryGetValue(language ?? "", out var analyzer) ? analyzer : _analyzers[TextLanguages.Resolve(language, text)];

    private static HashSet<string> ExcludedKeys(LanguageAnalyzer analyzer, IReadOnlyCollection<string> excludedWords, Scratch scratch)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        var words = new List<Word>();
        foreach (var name in excludedWords)
        {
            if (string.IsNullOrWhiteSpace(name))
            {
                continue;
            }

            Tokenize(analyzer, name, null, scratch, words);
            foreach (var word in words.Where(w => !w.IsBreak))
            {
                keys.Add(word.Key);
            }

            words.Clear();
        }

        return keys;
    }

    /// <summary>Appends the content words of <paramref name="text"/> to <paramref name="words"/>, with a break entry
    /// wherever a phrase must not continue.</summary>
    private static void Tokenize(LanguageAnalyzer analyzer, string text, HashSet<string>? excluded, Scratch scratch, List<Word> words)
    {
        var clean = Clean(text, scratch.Builder);
        using var stream = analyzer.GetTokenStream(FieldName, clean);
        var term = stream.AddAttribute<ICharTermAttribute>();
        var offsets = stream.AddAttribute<IOffsetAttribute>();
        var increment = stream.AddAttribute<IPositionIncrementAttribute>();
        var type = stream.AddAttribute<ITypeAttribute>();
        stream.Reset();
        var lastEnd = 0;
        while (stream.IncrementToken())
        {
            var start = offsets.StartOffset;
            var end = offsets.EndOffset;
            if (increment.PositionIncrement != 1 || BreaksPhrase(clean.AsSpan(lastEnd, Math.Max(0, start - lastEnd))))
            {
                Break(words);
            }

            lastEnd = end;
            var tokenType = type.Type;
            if (tokenType is "<URL>" or "<EMAIL>" or "<NUM>")
            {
                Break(words);
                continue;
            }

            if (tokenType == "<SOUTHEAST_ASIAN>" || clean.AsSpan(start, end - start).ContainsAnyInRange('\u0E00', '\u0E7F'))
            {
                SegmentThai(clean.Substring(start, end - start), excluded, scratch, words);
                continue;
            }

            var key = term.Buffer.AsSpan(0, term.Length);
            if (!IsContentWord(key))
            {
                Break(words);
                continue;
            }

            var keyText = key.ToString();
            if (excluded is not null && excluded.Contains(keyText))
            {
                Break(words);
                continue;
            }

            words.Add(new Word(keyText, clean.Substring(start, end - start).ToLowerInvariant()));
        }

        stream.End();
    }

    // Thai has no spaces between words: ICU's dictionary-based word break iterator finds them.
    private static void SegmentThai(string run, HashSet<string>? excluded, Scratch scratch, List<Word> words)
    {
        var breaker = scratch.ThaiBreaker ??= BreakIterator.GetWordInstance(new UCultureInfo("th"));
        breaker.SetText(run);
        var start = breaker.First();
        for (var end = breaker.Next(); end != BreakIterator.Done; start = end, end = breaker.Next())
        {
            var word = run.Substring(start, end - start);
            if (word is "ๆ" or "ฯ")
            {
                continue; // repetition and abbreviation marks belong to the word before them
            }

            var status = breaker.RuleStatus;
            if (status < BreakIterator.WordLetter || status >= BreakIterator.WordLetterLimit && status < BreakIterator.WordKana
                || word.Length < 2 || word.Length > MaxWordLength || !word.Any(char.IsLetter)
                || LanguageAnalyzer.ThaiStopWords.Contains(word) || (excluded?.Contains(word) ?? false))
            {
                Break(words);
                continue;
            }

            words.Add(new Word(word, word));
        }
    }

    private static void Break(List<Word> words)
    {
        if (words.Count > 0 && !words[^1].IsBreak)
        {
            words.Add(default);
        }
    }

    // A content word has a letter, no digit (numbers, order ids and phone numbers are not terms) and a sane length.
    private static bool IsContentWord(ReadOnlySpan<char> key)
    {
        if (key.Length < 2 || key.Length > MaxWordLength)
        {
            return false;
        }

        var letter = false;
        foreach (var c in key)
        {
            if (char.IsDigit(c))
            {
                return false;
            }

            letter |= char.IsLetter(c);
        }

        return letter;
    }

    // Only spaces may separate the words of a phrase; punctuation or a line break ends it.
    private static bool BreaksPhrase(ReadOnlySpan<char> gap)
    {
        foreach (var c in gap)
        {
            if (!char.IsWhiteSpace(c) || c is '\n' or '\r' or '\v' or '\f' or '\u0085' or '\u2028' or '\u2029')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Removes format characters (zero-width space/joiners, bidi marks, soft hyphen, BOM), replaces a lone surrogate
    /// with a space, maps Arabic-Indic and Persian digits to ASCII, truncates to <see cref="MaxTextLength"/> and
    /// applies NFKC. Returns the input itself when nothing changes (the common case).
    /// </summary>
    internal static string Clean(string text, StringBuilder builder)
    {
        var span = text.AsSpan(0, Math.Min(text.Length, MaxTextLength));
        var first = -1;
        for (var i = 0; i < span.Length; i++)
        {
            if (NeedsCleaning(span, i))
            {
                first = i;
                break;
            }
        }

        string result;
        if (first < 0)
        {
            result = span.Length == text.Length ? text : span.ToString();
        }
        else
        {
            builder.Clear();
            builder.Append(span[..first]);
            for (var i = first; i < span.Length; i++)
            {
                var c = span[i];
                if (!NeedsCleaning(span, i))
                {
                    builder.Append(c);
                }
                else if (c is >= '\u0660' and <= '\u0669')
                {
                    builder.Append((char)('0' + (c - '\u0660')));
                }
                else if (c is >= '\u06F0' and <= '\u06F9')
                {
                    builder.Append((char)('0' + (c - '\u06F0')));
                }
                else if (char.IsSurrogate(c))
                {
                    builder.Append(' ');
                }
            }

            result = builder.ToString();
            builder.Clear();
        }

        // Pure ASCII is already NFKC; checking costs a scan only for other text.
        if (Ascii.IsValid(result) || result.IsNormalized(NormalizationForm.FormKC))
        {
            return result;
        }

        // NFKC splits Thai SARA AM (U+0E33) into NIKHAHIT + SARA AA, which ICU's Thai dictionary does not know; put it
        // back (this also folds the two-character spelling some keyboards type into the usual one).
        var folded = result.Normalize(NormalizationForm.FormKC);
        return folded.Contains(ThaiSaraAmDecomposed, StringComparison.Ordinal) ? folded.Replace(ThaiSaraAmDecomposed, "\u0E33", StringComparison.Ordinal) : folded;
    }

    private const string ThaiSaraAmDecomposed = "\u0E4D\u0E32";

    private static bool NeedsCleaning(ReadOnlySpan<char> span, int i)
    {
        var c = span[i];
        if (c < '\u00AD')
        {
            return false;
        }

        if (c is >= '\u0660' and <= '\u0669' or >= '\u06F0' and <= '\u06F9')
        {
            return true;
        }

        if (char.IsHighSurrogate(c))
        {
            return i + 1 >= span.Length || !char.IsLowSurrogate(span[i + 1]);
        }

        if (char.IsLowSurrogate(c))
        {
            return i == 0 || !char.IsHighSurrogate(span[i - 1]);
        }

        return CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.Format;
    }

    /// <summary>A content word (key and lower-cased surface), or the default value: a phrase break.</summary>
    /// <summary>
    /// A phrase as a reader writes it: Thai words follow each other without a space (keys keep the space, so a phrase
    /// is always the same key), every other script separates them with one.
    /// </summary>
    private static string Join(string first, string second) =>
        first.Length > 0 && second.Length > 0 && IsThai(first[^1]) && IsThai(second[0]) ? first + second : first + " " + second;

    private static bool IsThai(char c) => c is >= '\u0E00' and <= '\u0E7F';

    private readonly record struct Word(string Key, string Surface)
    {
        public bool IsBreak => Key is null;
    }

    /// <summary>Per-thread buffers and the (not thread-safe) ICU break iterator.</summary>
    private sealed class Scratch
    {
        public List<Word> Words { get; } = [];

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public StringBuilder Builder { get; } = new();

        public BreakIterator? ThaiBreaker { get; set; }
    }
}
