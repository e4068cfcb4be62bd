namespace Promoter.Core.Text;

/// <summary>
/// One term of a comment. <see cref="Key"/> is the normalised, stemmed words joined by a single space: what is counted
/// and matched. <see cref="Surface"/> is the same words as written (lower-cased, joined by one space), for display.
/// </summary>
/// <param name="Key">Normalised/stemmed words joined by one space.</param>
/// <param name="Surface">The words as written, lower-cased, joined by one space.</param>
/// <param name="Words">1, 2 or 3.</param>
public sealed record Term(string Key, string Surface, int Words);
