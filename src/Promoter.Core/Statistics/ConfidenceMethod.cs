namespace Promoter.Core;

/// <summary>How a confidence interval for NPS is computed. Wire names: "wald", "adjusted-wald", "tango".</summary>
public enum ConfidenceMethod
{
    /// <summary>NPS ± z·SE. Zero width when every response is in one category; poor coverage below n = 30.</summary>
    Wald,

    /// <summary>Wald after adding 0.75 / 1.5 / 0.75 pseudo-responses (Rocks 2016). The default.</summary>
    AdjustedWald,

    /// <summary>Tango (1998) score interval, solved numerically (Rocks' "iterative" method).</summary>
    Tango,
}
