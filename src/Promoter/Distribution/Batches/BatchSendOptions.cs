using System.ComponentModel.DataAnnotations;

namespace Promoter.Distribution.Batches;

/// <summary>Configuration section <c>BatchSends</c>.</summary>
public sealed class BatchSendOptions
{
    public const string Section = "BatchSends";

    /// <summary>Whether this node works through batch jobs in the background (the CLI works through its own either way).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Contacts invited per transaction: the unit of progress and of work redone after a crash.</summary>
    [Range(1, 10_000)]
    public int ChunkSize { get; set; } = 2_000;

    /// <summary>How long a node holds a job between chunks before another node may take it over.</summary>
    [Range(5, 3_600)]
    public int LeaseSeconds { get; set; } = 60;

    [Range(1, 3_600)]
    public int PollSeconds { get; set; } = 2;
}
