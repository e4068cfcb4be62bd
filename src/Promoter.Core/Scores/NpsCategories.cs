namespace Promoter.Core;

/// <summary>Maps raw 0–10 scores to their <see cref="NpsCategory"/>.</summary>
public static class NpsCategories
{
    /// <summary>The category of <paramref name="score"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The score is not 0..10.</exception>
    public static NpsCategory Of(int score) => score switch
    {
        < Score.MinValue or > Score.MaxValue =>
            throw new ArgumentOutOfRangeException(nameof(score), score, "An NPS score is an integer from 0 to 10."),
        >= 9 => NpsCategory.Promoter,
        >= 7 => NpsCategory.Passive,
        _ => NpsCategory.Detractor,
    };
}
