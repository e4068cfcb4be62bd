namespace Promoter.Core.Churn;

/// <summary>Settings of <see cref="LogisticRegression.Fit"/>.</summary>
public sealed record LogisticOptions
{
    private readonly double _penalty = 1.0;
    private readonly int _maxIterations = 100;
    private readonly double _tolerance = 1e-9;

    public static LogisticOptions Default { get; } = new();

    /// <summary>
    /// λ ≥ 0 in the penalised log-likelihood ℓ(β) − (λ/2)·Σ_{j≥1} β_j², on standardised features (the intercept is not
    /// penalised). λ is in units of observations: λ = 1 weighs like one extra observation per coefficient, which is
    /// negligible at 10,000 rows yet keeps every coefficient finite on perfectly separable data. Default 1.
    /// </summary>
    public double Penalty
    {
        get => _penalty;
        init => _penalty = value >= 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Penalty), value, "The L2 penalty must be a finite number ≥ 0.");
    }

    /// <summary>Newton steps before giving up (the result then says <c>Converged = false</c>). Default 100.</summary>
    public int MaxIterations
    {
        get => _maxIterations;
        init => _maxIterations = value >= 1
            ? value
            : throw new ArgumentOutOfRangeException(nameof(MaxIterations), value, "At least one iteration is needed.");
    }

    /// <summary>
    /// Converged when the largest Newton step on any standardised coefficient is below this. Newton converges
    /// quadratically near the optimum, so the coefficients are then accurate far beyond it. Default 1e-9.
    /// </summary>
    public double Tolerance
    {
        get => _tolerance;
        init => _tolerance = value > 0 && double.IsFinite(value)
            ? value
            : throw new ArgumentOutOfRangeException(nameof(Tolerance), value, "The tolerance must be a finite number > 0.");
    }
}
