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

    /// <summary>How long a node may hold a theme re-tagging job between chunks before another node takes it over.</summary>
    [Range(5, 3600)]
    public int LeaseSeconds { get; set; } = 60;

    /// <summary>Responses re-tagged per transaction (the work a crash redoes; SQLite writers wait this long at most).</summary>
    [Range(10, 100_000)]
    public int RetagChunkSize { get; set; } = 2_000;
}
