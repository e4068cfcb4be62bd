using FsCheck;
using FsCheck.Fluent;

namespace Promoter.Core.Tests.Support;

/// <summary>A confidence level in [0.5, 1), biased towards the levels people use.</summary>
public readonly record struct Level(double Value)
{
    public override string ToString() => Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// FsCheck generators. Counts mix zeros, small numbers (where the edge cases live) and large ones;
/// generated <see cref="NpsCounts"/> always have at least one response.
/// </summary>
public static class NpsArbitraries
{
    public static Arbitrary<NpsCounts> Counts() => Arb.From(CountsGen());

    public static Arbitrary<Level> Levels() => Arb.From(Gen.Frequency(
        (3, Gen.Elements(0.5, 0.8, 0.9, 0.95, 0.99, 0.999)),
        (2, Gen.Choose(5_000, 9_999).Select(i => i / 10_000.0))).Select(v => new Level(v)));

    public static Arbitrary<ConfidenceMethod> Methods() => Arb.From(Gen.Elements(Enum.GetValues<ConfidenceMethod>()));

    public static Arbitrary<PairedTable> PairedTables() => Arb.From(
        Gen.ArrayOf(Count(), 9).Where(cells => cells.Sum() > 0).Select(PairedTable.Create));

    public static Arbitrary<Score> Scores() => Arb.From(Gen.Choose(0, 10).Select(Score.From));

    public static Gen<NpsCounts> CountsGen() =>
        from d in Count()
        from m in Count()
        from p in Count()
        where d + m + p > 0
        select new NpsCounts(d, m, p);

    private static Gen<long> Count() => Gen.Frequency(
        (2, Gen.Constant(0L)),
        (4, Gen.Choose(0, 12).Select(i => (long)i)),
        (3, Gen.Choose(0, 1_000).Select(i => (long)i)),
        (1, Gen.Choose(0, 2_000_000).Select(i => (long)i)));
}
