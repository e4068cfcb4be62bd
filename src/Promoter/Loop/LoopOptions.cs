using System.ComponentModel.DataAnnotations;

namespace Promoter.Loop;

/// <summary>The <c>Loop</c> section: the worker that opens cases, sends alerts, escalates overdue cases and sends digests.</summary>
public sealed class LoopOptions
{
    public const string Section = "Loop";

    /// <summary>Run the loop worker on this node (tests on a fake clock switch it off and drive the services themselves).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>How often the worker looks for work written by other nodes and for cases coming due.</summary>
    [Range(1, 300)]
    public int PollIntervalSeconds { get; set; } = 2;
}
