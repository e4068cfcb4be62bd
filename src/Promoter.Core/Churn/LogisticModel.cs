namespace Promoter.Core.Churn;

/// <summary>
/// A fitted logistic regression logit P(y = 1 | x) = β₀ + Σ β_j·x_j, on the original feature scale and on the
/// standardised scale z_j = (x_j − mean_j) / scale_j it was fitted on. The two are the same model:
/// β_j = β*_j / scale_j and β₀ = β*₀ − Σ β*_j·mean_j / scale_j.
/// </summary>
/// <remarks>
/// Standard errors are sqrt(diag(H⁻¹)) with H = Zᵀ W Z + λ·P the penalised Hessian at the optimum (W = diag μ(1 − μ),
/// P = diag(0, 1, …, 1)). With λ = 0 they are the usual Wald standard errors; with λ &gt; 0 they are the posterior
/// standard deviations of the Gaussian-prior (ridge) view and are somewhat too small as frequentist errors, so read
/// them as a guide to which coefficients are well determined, not as exact tests. They are NaN when the fit did not
/// converge or H is not positive definite. Original-scale errors follow from the same linear map applied to H⁻¹.
/// A feature with zero variance in the training data is left out of the fit: its coefficient is 0 and its errors NaN.
/// </remarks>
public sealed record LogisticModel
{
    private readonly double[] _coefficients;

    internal LogisticModel(
        string[] featureNames,
        double intercept,
        double[] coefficients,
        double interceptStandardError,
        double[] standardErrors,
        double standardisedIntercept,
        double[] standardisedCoefficients,
        double standardisedInterceptStandardError,
        double[] standardisedStandardErrors,
        double[] means,
        double[] scales)
    {
        FeatureNames = featureNames;
        Intercept = intercept;
        _coefficients = coefficients;
        InterceptStandardError = interceptStandardError;
        StandardErrors = standardErrors;
        StandardisedIntercept = standardisedIntercept;
        StandardisedCoefficients = standardisedCoefficients;
        StandardisedInterceptStandardError = standardisedInterceptStandardError;
        StandardisedStandardErrors = standardisedStandardErrors;
        Means = means;
        Scales = scales;
    }

    /// <summary>
    /// A model restored from its stored original-scale intercept and coefficients (what scoring needs), e.g. after a
    /// nightly fit saved it. Standard errors, standardised values, means and scales are not restored (NaN).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The lists differ in length.</exception>
    public static LogisticModel FromCoefficients(IReadOnlyList<string> featureNames, double intercept, IReadOnlyList<double> coefficients)
    {
        ArgumentNullException.ThrowIfNull(featureNames);
        ArgumentNullException.ThrowIfNull(coefficients);
        if (coefficients.Count != featureNames.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(coefficients), coefficients.Count, $"Expected one coefficient per feature ({featureNames.Count}).");
        }

        var n = featureNames.Count;
        double[] Nans() => Enumerable.Repeat(double.NaN, n).ToArray();
        return new LogisticModel([.. featureNames], intercept, [.. coefficients], double.NaN, Nans(), double.NaN, Nans(), double.NaN, Nans(), Nans(), Nans());
    }

    public IReadOnlyList<string> FeatureNames { get; }

    /// <summary>β₀ on the original scale: the log-odds when every feature is 0.</summary>
    public double Intercept { get; }

    /// <summary>β_j on the original scale: change in log-odds per unit of feature j.</summary>
    public IReadOnlyList<double> Coefficients => _coefficients;

    public double InterceptStandardError { get; }

    public IReadOnlyList<double> StandardErrors { get; }

    /// <summary>β*₀: the log-odds at the training means of every feature.</summary>
    public double StandardisedIntercept { get; }

    /// <summary>β*_j: change in log-odds per training standard deviation of feature j (comparable across features).</summary>
    public IReadOnlyList<double> StandardisedCoefficients { get; }

    public double StandardisedInterceptStandardError { get; }

    public IReadOnlyList<double> StandardisedStandardErrors { get; }

    /// <summary>Training mean of each feature.</summary>
    public IReadOnlyList<double> Means { get; }

    /// <summary>Training standard deviation of each feature (population form, divisor n); 0 for a constant feature.</summary>
    public IReadOnlyList<double> Scales { get; }

    /// <summary>The L2 penalty λ it was fitted with.</summary>
    public double Penalty { get; init; }

    /// <summary>Newton steps taken.</summary>
    public int Iterations { get; init; }

    /// <summary>Whether the largest step fell below the tolerance within the iteration cap.</summary>
    public bool Converged { get; init; }

    /// <summary>Unpenalised log-likelihood ℓ(β) = Σ yᵢ·ηᵢ − log(1 + e^ηᵢ) on the training data.</summary>
    public double LogLikelihood { get; init; }

    /// <summary>The maximised objective ℓ(β) − (λ/2)·Σ_{j≥1} β*_j².</summary>
    public double PenalisedLogLikelihood { get; init; }

    /// <summary>Training rows.</summary>
    public int Observations { get; init; }

    /// <summary>Training rows with y = 1.</summary>
    public int Events { get; init; }

    /// <summary>η = β₀ + Σ β_j·x_j for one row of original-scale features. Allocation-free.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The row does not have one value per feature.</exception>
    public double LinearPredictor(ReadOnlySpan<double> features)
    {
        var coefficients = _coefficients;
        if (features.Length != coefficients.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(features), features.Length, $"Expected {coefficients.Length} feature values.");
        }

        var eta = Intercept;
        for (var j = 0; j < coefficients.Length; j++)
        {
            eta += coefficients[j] * features[j];
        }

        return eta;
    }

    /// <summary>P(y = 1 | x) = 1 / (1 + e^−η). Allocation-free.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The row does not have one value per feature.</exception>
    public double Predict(ReadOnlySpan<double> features) => LogisticRegression.Sigmoid(LinearPredictor(features));
}
