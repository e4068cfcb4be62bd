using System.Text;

namespace Promoter.Platform;

/// <summary>
/// Opaque keyset cursors for lists ordered by a time-ordered Guid id: URL-safe base64 of "<c>kind:id</c>". The kind
/// letter keeps one list's cursor from being taken for another's.
/// </summary>
public static class PageCursor
{
    public static string Write(char kind, Guid id) =>
        Convert.ToBase64String(Encoding.ASCII.GetBytes($"{kind}:{id:N}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The id in <paramref name="cursor"/>, or null when it is not a cursor of this kind.</summary>
    public static Guid? Read(char kind, string cursor)
    {
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            var text = Encoding.ASCII.GetString(Convert.FromBase64String(base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=')));
            return text.Length > 2 && text[0] == kind && text[1] == ':' && Guid.TryParseExact(text.AsSpan(2), "N", out var id) ? id : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
