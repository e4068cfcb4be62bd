using System.ComponentModel.DataAnnotations;

namespace Promoter.Understand;

public sealed class UnderstandOptions
{
    public const string Section = "Understand";

    /// <summary>Index comments and re-tag themes on this node (any number of nodes may; batches never overlap).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>How often the worker looks for responses stored by other nodes (this node's own wake it at once).</summary>
    [Range(1, 300)]
    public int PollIntervalSeconds { get; set; } = 1;

    /// <summary>
    /// How long the worker waits after this node stored a response before indexing, so that one batch (one durable commit)
    /// carries the comments of that moment rather than one each. The index lags the intake by about this much.
    /// </summary>
    [Range(0, 10_000)]
    public int GatherMilliseconds { get; set; } = 500;

    /// <summary>Responses per second stored on this node above which the intake counts as busy (see <see cref="BusyShare"/>).</summary>
    [Range(1, 1_000_000)]
    public int BusyIntakePerSecond { get; set; } = 200;

    /// <summary>
    /// The share of time the indexer may work while the intake is busy (1 = always full speed). The index lags during a
    /// burst and catches up afterwards; the intake keeps its throughput.
    /// </summary>
    [Range(0.01, 1.0)]
    public double BusyShare { get; set; } = 0.1;

    /// <summary>How long a node may hold a theme re-tagging job between chunks before another node takes it over.</summary>
    [Range(5, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Responses re-tagged per transaction (the work a crash redoes; SQLite writers wait this long at most).</summary>
    [Range(10, 100_000)]
    public int RetagChunkSize { get; set; } = 2_000;

    /// <summary>
    /// Term counts of whole months kept in memory per node for the Why section (one entry = one term in one month of one
    /// survey, about 16 bytes). 0 keeps nothing: every request then reads the monthly rows.
    /// </summary>
    [Range(0, 1_000_000_000)]
    public int TermCacheEntries { get; set; } = 10_000_000;
}
