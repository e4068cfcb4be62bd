namespace Promoter.Core;

/// <summary>The NPS category of a 0–10 score: detractor 0–6, passive 7–8, promoter 9–10.</summary>
public enum NpsCategory
{
    Detractor,
    Passive,
    Promoter,
}
