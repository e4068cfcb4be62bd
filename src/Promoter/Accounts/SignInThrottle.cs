using System.Collections.Concurrent;

namespace Promoter.Accounts;

/// <summary>
/// Failed sign-ins counted per account and network (/24 or /48): ten failures lock that account for that network
/// only, so someone who knows an owner's email cannot lock them out from their own network. Failures from many
/// networks together (a distributed guess, at least three networks given the per-network limit) lock the account
/// everywhere, in the database (<see cref="User.LockedUntil"/>). Counters are keyed by the security stamp, so a
/// password reset (<c>promoter user reset-password</c>) starts them afresh. Kept in memory per node, like the rate limits.
/// </summary>
public sealed class SignInThrottle(TimeProvider clock)
{
    public const int FailuresPerNetwork = 10;
    public const int FailuresAcrossNetworks = 50;
    public static readonly TimeSpan Window = TimeSpan.FromMinutes(15);

    private sealed class Counter
    {
        public int Failures;
        public DateTimeOffset WindowEnds;
        public DateTimeOffset? LockedUntil;
    }

    private readonly ConcurrentDictionary<string, Counter> _counters = new(StringComparer.Ordinal);

    /// <summary>How long this network must wait before trying this account again, or null when it may try now.</summary>
    public TimeSpan? Wait(User user, string network)
    {
        var now = clock.GetUtcNow();
        return _counters.TryGetValue(Key(user, network), out var c) && c.LockedUntil > now ? c.LockedUntil.Value - now : null;
    }

    /// <summary>Counts a failure; returns how long the network is now locked out of the account, and whether the whole account should lock.</summary>
    public (TimeSpan? NetworkWait, bool LockAccount) Fail(User user, string network)
    {
        var now = clock.GetUtcNow();
        Prune(now);
        var networkCount = Count(Key(user, network), now, FailuresPerNetwork);
        var accountCount = Count(Key(user, "*"), now, FailuresAcrossNetworks);
        return (networkCount.LockedUntil > now ? networkCount.LockedUntil - now : null, accountCount.LockedUntil is not null);
    }

    public void Succeed(User user, string network) => _counters.TryRemove(Key(user, network), out _);

    private Counter Count(string key, DateTimeOffset now, int limit)
    {
        var counter = _counters.GetOrAdd(key, _ => new Counter());
        lock (counter)
        {
            if (counter.WindowEnds <= now && !(counter.LockedUntil > now))
            {
                (counter.Failures, counter.WindowEnds, counter.LockedUntil) = (0, now + Window, null);
            }

            if (++counter.Failures >= limit && counter.LockedUntil is null)
            {
                counter.LockedUntil = now + Window;
                counter.WindowEnds = now + Window;
            }

            return counter;
        }
    }

    private void Prune(DateTimeOffset now)
    {
        if (_counters.Count < 10_000)
        {
            return;
        }

        foreach (var (key, counter) in _counters)
        {
            if (counter.WindowEnds <= now && !(counter.LockedUntil > now))
            {
                _counters.TryRemove(key, out _);
            }
        }
    }

    private static string Key(User user, string network) => $"{user.Id:N}|{user.SecurityStamp}|{network}";
}
