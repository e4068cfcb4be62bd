using System.ComponentModel.DataAnnotations;

namespace Promoter.Churn;

public sealed class ChurnOptions
{
    public const string Section = "Churn";

    /// <summary>Run the nightly rescoring and model fit on this node (any number of nodes may: each night runs once).</summary>
    public bool WorkerEnabled { get; set; } = true;

    /// <summary>The UTC hour from which the nightly rescoring of a day may start.</summary>
    [Range(0, 23)]
    public int NightlyHourUtc { get; set; } = 2;

    /// <summary>How often the worker looks for a night to start or a run to take over.</summary>
    [Range(1, 3600)]
    public int PollIntervalSeconds { get; set; } = 60;

    /// <summary>How long a node may hold a nightly run between chunks before another node takes it over.</summary>
    [Range(5, 3600)]
    public int LeaseSeconds { get; set; } = 120;

    /// <summary>Contacts rescored per transaction (the work a crash redoes).</summary>
    [Range(10, 100_000)]
    public int ChunkSize { get; set; } = 2_000;

    /// <summary>The contact property naming a contact's account (e.g. "company"); contacts sharing it share account NPS and account churn events.</summary>
    [Required, MaxLength(64)]
    public string AccountProperty { get; set; } = "account";

    /// <summary>A contact counts as churned when a churn event falls within this many days after a scoring date.</summary>
    [Range(7, 730)]
    public int HorizonDays { get; set; } = 90;

    /// <summary>The <c>contact.risk_raised</c> webhook event fires when a contact's risk rises from below to at least this.</summary>
    [Range(1, 100)]
    public int RaisedThreshold { get; set; } = 50;
}
