using Microsoft.Extensions.Time.Testing;
using Promoter.Loop;
using Promoter.Understand;

namespace Promoter.Tests.Understand;

/// <summary>The indexer yields to a busy intake (at most <see cref="UnderstandOptions.BusyShare"/> of the time) and runs at full speed otherwise.</summary>
public sealed class IntakePaceTests
{
    [Fact]
    public async Task A_busy_intake_makes_the_indexer_rest_nine_times_its_batch_and_a_quiet_one_not_at_all()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 12, 0, 0, TimeSpan.Zero));
        var signal = new LoopSignal();
        var pace = new IntakePace(signal, clock, new UnderstandOptions { BusyIntakePerSecond = 200, BusyShare = 0.1 });

        // Quiet: 50 responses in a second.
        signal.Notify(50);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.InRange(pace.PerSecond, 49.9, 50.1);
        Assert.True(pace.AfterBatchAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None).IsCompleted);

        // Busy: 2,500 responses in the next second; a 300 ms batch is followed by 2.7 s of rest.
        signal.Notify(2_500);
        clock.Advance(TimeSpan.FromSeconds(1));
        var rest = pace.AfterBatchAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None);
        Assert.False(rest.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(2_650));
        Assert.False(rest.IsCompleted);
        clock.Advance(TimeSpan.FromMilliseconds(60));
        await rest.WaitAsync(TimeSpan.FromSeconds(5));

        // The burst is over: nothing stored in the last 3 s, full speed again.
        Assert.Equal(0, pace.PerSecond);
        Assert.True(pace.AfterBatchAsync(TimeSpan.FromMilliseconds(300), CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void A_share_of_one_never_rests()
    {
        var clock = new FakeTimeProvider();
        var signal = new LoopSignal();
        var pace = new IntakePace(signal, clock, new UnderstandOptions { BusyShare = 1 });
        signal.Notify(100_000);
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.True(pace.AfterBatchAsync(TimeSpan.FromSeconds(1), CancellationToken.None).IsCompleted);
    }
}
