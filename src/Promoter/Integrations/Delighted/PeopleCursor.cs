using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Promoter.Integrations.Delighted;

/// <summary>
/// Cursor paging as Delighted does it: <c>Link: &lt;https://host:port/v1/people?page_info=…&gt;; rel="next"</c>, absolute
/// (clients request the URL verbatim; a relative one becomes <c>/v1/v1/…</c> in the node client) with an explicit port
/// (the node client keeps its own scheme but takes host and port from the link), and a base64url cursor, since the
/// node client's Link parser splits on ',' and ';'.
/// </summary>
public static class PeopleCursor
{
    public sealed record Position(DateTime CreatedAt, Guid Id);

    public static string Write(Position p) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{p.CreatedAt.Ticks}.{p.Id:N}")));

    public static Position? Read(string text)
    {
        try
        {
            var parts = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(text)).Split('.');
            return parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                   && ticks <= DateTime.MaxValue.Ticks && Guid.TryParseExact(parts[1], "N", out var id)
                ? new Position(new DateTime(ticks, DateTimeKind.Utc), id)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// The next page's absolute URL: this request's path and query with <c>page_info</c> replaced, on the public address
    /// (<c>Promoter:PublicUrl</c> when set, which is right behind a proxy; else the request's scheme and host).
    /// </summary>
    public static string NextLink(HttpRequest request, string publicBase, string pageInfo)
    {
        var origin = new Uri(publicBase.TrimEnd('/') + "/", UriKind.Absolute);
        var query = request.Query.Where(q => q.Key != "page_info")
            .SelectMany(q => q.Value.Select(v => Uri.EscapeDataString(q.Key) + "=" + Uri.EscapeDataString(v ?? "")))
            .Append("page_info=" + pageInfo);
        var basePath = origin.AbsolutePath.TrimEnd('/');
        return $"<{origin.Scheme}://{origin.Host}:{origin.Port}{basePath}{request.Path}?{string.Join('&', query)}>; rel=\"next\"";
    }
}
