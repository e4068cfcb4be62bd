namespace Promoter.Core.Tests.Statistics;

public class PairedTableTests
{
    [Fact]
    public void Rows_are_before_and_columns_are_after()
    {
        var table = PairedTable.Create([1, 2, 3, 4, 5, 6, 7, 8, 9]);

        Assert.Equal(45, table.N);
        Assert.Equal(new NpsCounts(6, 15, 24), table.Before);
        Assert.Equal(new NpsCounts(12, 15, 18), table.After);
        Assert.Equal(3, table[NpsCategory.Detractor, NpsCategory.Promoter]);
        Assert.Equal(7, table[NpsCategory.Promoter, NpsCategory.Detractor]);
    }

    [Fact]
    public void Create_validates_its_input()
    {
        Assert.Throws<ArgumentException>(() => PairedTable.Create(new long[8]));
        Assert.Throws<ArgumentOutOfRangeException>(() => PairedTable.Create([0, 0, 0, 0, -1, 0, 0, 0, 0]));
        Assert.Throws<OverflowException>(() => PairedTable.Create([long.MaxValue, 1, 0, 0, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public void Create_copies_its_input()
    {
        long[] cells = [1, 0, 0, 0, 0, 0, 0, 0, 0];
        var table = PairedTable.Create(cells);
        cells[0] = 100;

        Assert.Equal(1, table[NpsCategory.Detractor, NpsCategory.Detractor]);
    }

    [Fact]
    public void FromPairs_tallies_respondents()
    {
        var table = PairedTable.FromPairs(
        [
            (NpsCategory.Detractor, NpsCategory.Promoter),
            (NpsCategory.Detractor, NpsCategory.Promoter),
            (NpsCategory.Passive, NpsCategory.Passive),
        ]);

        Assert.Equal([0, 0, 2, 0, 1, 0, 0, 0, 0], table.ToArray());
        Assert.Equal(3, table.N);
    }
}
