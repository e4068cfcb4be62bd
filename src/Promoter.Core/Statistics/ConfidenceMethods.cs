namespace Promoter.Core;

/// <summary>Converts <see cref="ConfidenceMethod"/> to and from its wire name.</summary>
public static class ConfidenceMethods
{
    private const string WaldName = "wald";
    private const string AdjustedWaldName = "adjusted-wald";
    private const string TangoName = "tango";

    /// <summary>Parses "wald", "adjusted-wald" or "tango", ignoring case. Nothing else is accepted.</summary>
    public static bool TryParse(string? text, out ConfidenceMethod method)
    {
        if (string.Equals(text, WaldName, StringComparison.OrdinalIgnoreCase))
        {
            method = ConfidenceMethod.Wald;
            return true;
        }

        if (string.Equals(text, AdjustedWaldName, StringComparison.OrdinalIgnoreCase))
        {
            method = ConfidenceMethod.AdjustedWald;
            return true;
        }

        if (string.Equals(text, TangoName, StringComparison.OrdinalIgnoreCase))
        {
            method = ConfidenceMethod.Tango;
            return true;
        }

        method = default;
        return false;
    }

    /// <summary>The lower-case wire name: "wald", "adjusted-wald" or "tango".</summary>
    public static string ToWireName(this ConfidenceMethod method) => method switch
    {
        ConfidenceMethod.Wald => WaldName,
        ConfidenceMethod.AdjustedWald => AdjustedWaldName,
        ConfidenceMethod.Tango => TangoName,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "Unknown confidence method."),
    };
}
