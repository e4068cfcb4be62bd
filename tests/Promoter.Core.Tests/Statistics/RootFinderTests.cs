namespace Promoter.Core.Tests.Statistics;

public class RootFinderTests
{
    [Fact]
    public void Finds_square_root_of_two() =>
        Assert.Equal(Math.Sqrt(2), RootFinder.Solve(x => (x * x) - 2, 0, 2, 1e-14), 1e-13);

    [Fact]
    public void Finds_the_fixed_point_of_cosine() =>
        Assert.Equal(0.7390851332151607, RootFinder.Solve(x => Math.Cos(x) - x, 0, 1, 1e-14), 1e-13);

    [Fact]
    public void Works_with_the_bracket_given_in_either_order() =>
        Assert.Equal(Math.Sqrt(2), RootFinder.Solve(x => (x * x) - 2, 2, 0, 1e-14), 1e-13);

    [Fact]
    public void Converges_on_a_jump_by_bisecting() =>
        Assert.Equal(0.3, RootFinder.Solve(x => x < 0.3 ? -1 : 1, 0, 1, 1e-12), 1e-11);

    [Fact]
    public void Copes_with_a_flat_then_steep_function() =>
        Assert.Equal(0.999, RootFinder.Solve(x => Math.Pow(x, 50) - Math.Pow(0.999, 50), 0, 1, 1e-14), 1e-12);

    [Fact]
    public void Returns_an_endpoint_that_is_already_a_root() => Assert.Equal(1.0, RootFinder.Solve(x => x - 1, 1, 3, 1e-12));

    [Fact]
    public void Rejects_an_interval_without_a_sign_change() =>
        Assert.Throws<ArgumentException>(() => RootFinder.Solve(x => (x * x) + 1, -1, 1, 1e-12));
}
