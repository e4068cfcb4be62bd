// TEMPORARY: replaced by the real pipeline from feature/text-core at merge. Not to be committed to main as done.
#pragma warning disable CA1822, CA1305, CA1307, CA1309, CA1310, CA1311, CA1862
namespace Promoter.Core.Text
{
    public sealed record Term(string Key, string Surface, int Words);

    public static class TextLanguages
    {
        public static IReadOnlyList<string> Supported { get; } = ["en", "sv", "mk", "ar", "th"];

        public static string Resolve(string? responseLanguage, string text)
        {
            var b = (responseLanguage ?? "").Split('-')[0].ToLowerInvariant();
            return Supported.Contains(b) ? b : "en";
        }
    }

    public sealed class TextAnalyzer
    {
        public static TextAnalyzer Shared { get; } = new();

        public IReadOnlyList<Term> Terms(string text, string language, IReadOnlyCollection<string>? excludedWords = null)
        {
            var words = text.ToLowerInvariant().Split([' ', ',', '.', '!', '?'], StringSplitOptions.RemoveEmptyEntries)
                .Where(w => w.Length > 2 && !(excludedWords?.Contains(w, StringComparer.OrdinalIgnoreCase) ?? false)).ToList();
            var result = new List<Term>();
            var seen = new HashSet<string>();
            for (var i = 0; i < words.Count; i++)
            {
                if (seen.Add(words[i])) result.Add(new Term(words[i], words[i], 1));
                if (i + 1 < words.Count && seen.Add(words[i] + " " + words[i + 1])) result.Add(new Term(words[i] + " " + words[i + 1], words[i] + " " + words[i + 1], 2));
            }

            return result;
        }

        public bool TryKey(string phrase, string language, out string key, out string? error)
        {
            key = phrase.Trim().ToLowerInvariant();
            error = key.Length == 0 ? "No word." : key.Split(' ').Length > 3 ? "At most 3 words." : null;
            return error is null;
        }
    }
}

namespace Promoter.Core.Statistics
{
    public enum KeynessPrior { Informative, Uniform }

    public sealed record KeynessOptions(KeynessPrior Prior = KeynessPrior.Informative, double PriorStrength = 10, double Alpha = 0.01, long MinCount = 5);

    public sealed record KeynessTerm(string Key, long CountI, long CountJ, double Delta, double Sigma, double Zeta, bool Significant);

    public sealed record KeynessEachTerm(string Key, int Category, long Count, long Pooled, double Delta, double Sigma, double Zeta, bool Significant);

    public static class Keyness
    {
        public static IReadOnlyList<KeynessTerm> TwoGroups(IReadOnlyDictionary<string, (long I, long J)> counts, KeynessOptions options)
        {
            double ni = counts.Values.Sum(c => c.I), nj = counts.Values.Sum(c => c.J), total = ni + nj;
            var result = new List<KeynessTerm>();
            foreach (var (k, (i, j)) in counts)
            {
                if (i + j < options.MinCount) continue;
                var a = options.Prior == KeynessPrior.Informative ? options.PriorStrength * (i + j) / total : options.Alpha;
                var a0 = options.Prior == KeynessPrior.Informative ? options.PriorStrength : options.Alpha * counts.Count;
                var d = Math.Log((i + a) / (ni + a0 - i - a)) - Math.Log((j + a) / (nj + a0 - j - a));
                var s = Math.Sqrt(1 / (i + a) + 1 / (j + a));
                result.Add(new KeynessTerm(k, i, j, d, s, d / s, Math.Abs(d / s) > 1.96));
            }

            return result.OrderByDescending(t => t.Zeta).ToList();
        }

        public static IReadOnlyList<KeynessEachTerm> EachVsAll(IReadOnlyDictionary<string, long[]> counts, KeynessOptions options) => [];
    }

    public sealed record ThemeImpactEstimate(double Impact, double Low, double High, double NpsWith, double NpsWithout, long N, long NWith);

    public static class ThemeImpact
    {
        public static ThemeImpactEstimate Estimate(NpsCounts all, NpsCounts withTheme, double level = 0.95)
        {
            var without = new NpsCounts(all.Detractors - withTheme.Detractors, all.Passives - withTheme.Passives, all.Promoters - withTheme.Promoters);
            var impact = all.Nps - without.Nps;
            return new ThemeImpactEstimate(impact, impact - 10, impact + 10, withTheme.Nps, without.Nps, all.N, withTheme.N);
        }
    }
}
