namespace Promoter.Core.Statistics;

/// <summary>The Dirichlet prior of <see cref="Keyness.TwoGroups"/>.</summary>
public enum KeynessPrior
{
    /// <summary>α_w = A · (count of w in both groups) / (total of both groups); A = <see cref="KeynessOptions.PriorStrength"/>.</summary>
    Informative,

    /// <summary>α_w = <see cref="KeynessOptions.Alpha"/> for every term.</summary>
    Uniform,
}

/// <summary>Options of the keyness statistics.</summary>
/// <param name="Prior">Informative (the default; best with few detractors) or uniform.</param>
/// <param name="PriorStrength">A, the total pseudo-count of the informative prior (&gt; 0).</param>
/// <param name="Alpha">The per-term pseudo-count of the uniform prior (&gt; 0).</param>
/// <param name="MinCount">Terms whose pooled count is below this are left out of the result (≥ 1); they still count in the totals.</param>
public sealed record KeynessOptions(KeynessPrior Prior = KeynessPrior.Informative, double PriorStrength = 10, double Alpha = 0.01, long MinCount = 5)
{
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range; the exception names it.</exception>
    public void Validate()
    {
        if (!Enum.IsDefined(Prior))
        {
            throw new ArgumentOutOfRangeException(nameof(Prior), Prior, "The prior is informative or uniform.");
        }

        if (!(PriorStrength > 0 && double.IsFinite(PriorStrength)))
        {
            throw new ArgumentOutOfRangeException(nameof(PriorStrength), PriorStrength, "The prior strength must be a positive number.");
        }

        if (!(Alpha > 0 && double.IsFinite(Alpha)))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "Alpha must be a positive number.");
        }

        if (MinCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinCount), MinCount, "The minimum count must be at least 1.");
        }
    }
}

/// <summary>The totals of <see cref="Keyness.TwoGroups"/> over the whole vocabulary.</summary>
/// <param name="I">The sum of all terms' counts in group i.</param>
/// <param name="J">The sum of all terms' counts in group j.</param>
/// <param name="Vocabulary">The number of terms (the uniform prior's α₀ = α·V).</param>
public readonly record struct KeynessTotals(double I, double J, long Vocabulary);

/// <summary>One term compared between group i (detractors) and group j (promoters).</summary>
/// <param name="Key">The term's key.</param>
/// <param name="CountI">Its count in group i.</param>
/// <param name="CountJ">Its count in group j.</param>
/// <param name="Delta">Log-odds ratio δ, i relative to j: positive = more typical of group i.</param>
/// <param name="Sigma">Its standard deviation σ.</param>
/// <param name="Zeta">ζ = δ/σ, the ranking statistic.</param>
/// <param name="Significant">|ζ| &gt; 1.96.</param>
public sealed record KeynessTerm(string Key, long CountI, long CountJ, double Delta, double Sigma, double Zeta, bool Significant);

/// <summary>One term in one category, compared with all categories together.</summary>
/// <param name="Category">Index of the category in the count arrays.</param>
/// <param name="Count">The term's count in this category.</param>
/// <param name="Key">The term's key.</param>
/// <param name="Pooled">The term's count over all categories.</param>
/// <param name="Delta">Log-odds ratio δ of this category against all: positive = more typical of this category.</param>
/// <param name="Sigma">Its standard deviation σ.</param>
/// <param name="Zeta">ζ = δ/σ.</param>
/// <param name="Significant">|ζ| &gt; 1.96.</param>
public sealed record KeynessEachTerm(string Key, int Category, long Count, long Pooled, double Delta, double Sigma, double Zeta, bool Significant);

/// <summary>
/// Which words separate groups of comments: weighted log-odds ratios with a Dirichlet prior ("Fightin' Words",
/// Monroe, Colaresi &amp; Quinn 2008, Political Analysis 16(4):372–403).
/// </summary>
public static class Keyness
{
    /// <summary>|ζ| above this is marked significant (two-sided 5 %).</summary>
    public const double SignificantZeta = 1.96;

    /// <summary>
    /// Group i against group j. For term w with counts y_w^i, y_w^j, totals n^i, n^j (the sums of all counts) and
    /// prior α_w, α₀ = Σ_w α_w:
    /// δ_w = log((y_w^i+α_w)/(n^i+α₀−y_w^i−α_w)) − log((y_w^j+α_w)/(n^j+α₀−y_w^j−α_w)),
    /// σ²_w = 1/(y_w^i+α_w) + 1/(y_w^j+α_w), ζ_w = δ_w/σ_w.
    /// </summary>
    /// <param name="counts">Every term's count in group i and group j: all terms, also rare ones, because the prior and
    /// the totals use them.</param>
    /// <param name="options">Prior and minimum count.</param>
    /// <returns>Terms whose pooled count is at least <see cref="KeynessOptions.MinCount"/>, by ζ descending (ties by key);
    /// empty when either group has no terms at all (there is nothing to compare).</returns>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or a count is negative.</exception>
    public static IReadOnlyList<KeynessTerm> TwoGroups(IReadOnlyDictionary<string, (long I, long J)> counts, KeynessOptions options)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        double totalI = 0, totalJ = 0;
        foreach (var (key, (i, j)) in counts)
        {
            if (i < 0 || j < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(counts), $"The counts of '{key}' are negative.");
            }

            totalI += i;
            totalJ += j;
        }

        if (totalI == 0 || totalJ == 0)
        {
            return [];
        }

        var totals = new KeynessTotals(totalI, totalJ, counts.Count);
        var result = new List<KeynessTerm>();
        foreach (var (key, (i, j)) in counts)
        {
            if (i + j < options.MinCount)
            {
                continue;
            }

            var (delta, sigma, zeta) = TwoGroupsTerm(i, j, totals, options);
            result.Add(new KeynessTerm(key, i, j, delta, sigma, zeta, Math.Abs(zeta) > SignificantZeta));
        }

        result.Sort(static (a, b) => b.Zeta.CompareTo(a.Zeta) is var c and not 0 ? c : string.CompareOrdinal(a.Key, b.Key));
        return result;
    }

    /// <summary>
    /// δ, σ and ζ of one term of <see cref="TwoGroups"/>, given the totals of the whole vocabulary: for callers that keep
    /// counts in their own arrays and need the statistic only for the terms above the minimum count. The informative prior
    /// needs only the term's pooled count and the totals (α₀ = A); the uniform prior needs the vocabulary size (α₀ = α·V).
    /// </summary>
    /// <param name="i">The term's count in group i (≥ 0).</param>
    /// <param name="j">The term's count in group j (≥ 0).</param>
    /// <param name="totals">The sums of all terms' counts per group (both &gt; 0) and the number of terms.</param>
    /// <param name="options">The prior (validated by the caller).</param>
    public static (double Delta, double Sigma, double Zeta) TwoGroupsTerm(long i, long j, KeynessTotals totals, KeynessOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var alpha0 = options.Prior == KeynessPrior.Informative ? options.PriorStrength : options.Alpha * totals.Vocabulary;
        var alpha = options.Prior == KeynessPrior.Informative ? options.PriorStrength * (i + j) / (totals.I + totals.J) : options.Alpha;
        var yi = i + alpha;
        var yj = j + alpha;
        var delta = Math.Log(yi / (totals.I + alpha0 - yi)) - Math.Log(yj / (totals.J + alpha0 - yj));
        var sigma = Math.Sqrt((1.0 / yi) + (1.0 / yj));
        return (delta, sigma, delta / sigma);
    }

    /// <summary>
    /// δ, σ and ζ of one term in one category of <see cref="EachVsAll"/>, given each category's plain total (the sum of
    /// all terms' counts in it, before pseudo-counts). With α_w = pooled count, Σ_w y_wi = n_c + N where N is the sum of
    /// all pooled counts, so the plain totals are all the statistic needs of the other terms.
    /// </summary>
    /// <param name="row">The term's count in each category.</param>
    /// <param name="category">The category to compare with all.</param>
    /// <param name="categoryTotals">Each category's sum of all terms' counts (the same length as <paramref name="row"/>).</param>
    public static (double Delta, double Sigma, double Zeta) EachTerm(ReadOnlySpan<long> row, int category, ReadOnlySpan<double> categoryTotals)
    {
        double pooled = 0, all = 0;
        foreach (var count in row)
        {
            pooled += count;
        }

        foreach (var total in categoryTotals)
        {
            all += total;
        }

        // Σ_c (n_c + N) = all + k·N with N = all.
        var k = row.Length;
        var grand = all + (k * all);
        var alpha = pooled;
        var yw = (k * alpha) + pooled;
        var omegaAll = yw / (grand - yw);
        var ywi = row[category] + alpha;
        var delta = Math.Log(ywi / (categoryTotals[category] + all - ywi)) - Math.Log(omegaAll);
        var sigma = Math.Sqrt((1.0 / ywi) + (1.0 / yw));
        return (delta, sigma, delta / sigma);
    }

    /// <summary>
    /// Each category against all categories together, as R's <c>tidylo::bind_log_odds</c> with its empirical-Bayes
    /// prior: α_w = the total count of w over all categories; pseudo-counts y_wi = count_wi + α_w, n_i = Σ_w y_wi;
    /// ω_wi = y_wi/(n_i − y_wi); y_w = Σ_i y_wi, Σ = Σ_i n_i, ω_w = y_w/(Σ − y_w); δ = log ω_wi − log ω_w;
    /// σ² = 1/y_wi + 1/y_w; ζ = δ/σ. Only <see cref="KeynessOptions.MinCount"/> of the options applies.
    /// </summary>
    /// <param name="counts">counts[key][k]: every term's count in each of the k ≥ 2 categories (all arrays the same length).</param>
    /// <param name="options">Minimum pooled count (the prior options are validated but not used).</param>
    /// <returns>For every term whose pooled count is at least MinCount, one row per category; by category, then ζ
    /// descending (ties by key). Empty when fewer than two terms have any count (nothing to compare).</returns>
    /// <exception cref="ArgumentException">The arrays differ in length or have fewer than 2 categories.</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or a count is negative.</exception>
    public static IReadOnlyList<KeynessEachTerm> EachVsAll(IReadOnlyDictionary<string, long[]> counts, KeynessOptions options)
    {
        ArgumentNullException.ThrowIfNull(counts);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var k = -1;
        double[] plain = [];
        var present = 0;
        foreach (var (key, row) in counts)
        {
            if (row is null)
            {
                throw new ArgumentException($"The counts of '{key}' are missing.", nameof(counts));
            }

            if (k < 0)
            {
                k = row.Length;
                if (k < 2)
                {
                    throw new ArgumentException("Each-vs-all keyness needs at least 2 categories.", nameof(counts));
                }

                plain = new double[k];
            }
            else if (row.Length != k)
            {
                throw new ArgumentException($"Every term needs counts for the same {k} categories; '{key}' has {row.Length}.", nameof(counts));
            }

            long pooled = 0;
            foreach (var count in row)
            {
                if (count < 0)
                {
                    throw new ArgumentOutOfRangeException(nameof(counts), $"A count of '{key}' is negative.");
                }

                pooled += count;
            }

            for (var c = 0; c < k; c++)
            {
                plain[c] += row[c];
            }

            present += pooled > 0 ? 1 : 0;
        }

        if (present < 2)
        {
            return [];
        }

        var result = new List<KeynessEachTerm>();
        foreach (var (key, row) in counts)
        {
            var pooled = row.Sum();
            if (pooled < options.MinCount)
            {
                continue;
            }

            for (var c = 0; c < k; c++)
            {
                var (delta, sigma, zeta) = EachTerm(row, c, plain);
                result.Add(new KeynessEachTerm(key, c, row[c], pooled, delta, sigma, zeta, Math.Abs(zeta) > SignificantZeta));
            }
        }

        result.Sort(static (a, b) =>
            a.Category != b.Category ? a.Category.CompareTo(b.Category)
            : b.Zeta.CompareTo(a.Zeta) is var c and not 0 ? c
            : string.CompareOrdinal(a.Key, b.Key));
        return result;
    }
}
