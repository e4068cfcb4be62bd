using System.Globalization;
using System.Text;

namespace Promoter.Data;

/// <summary>
/// One reused UTF-8 buffer for binding text on SQLite's native API: SQLite copies bound text (SQLITE_TRANSIENT), so
/// nothing is allocated per value. Guids and times come out exactly as EF Core stores them on SQLite.
/// </summary>
internal sealed class SqliteUtf8Buffer
{
    private byte[] _bytes = new byte[256];

    public ReadOnlySpan<byte> Encode(string text)
    {
        var needed = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (needed > _bytes.Length)
        {
            _bytes = new byte[Math.Max(needed, _bytes.Length * 2)];
        }

        return _bytes.AsSpan(0, Encoding.UTF8.GetBytes(text, _bytes));
    }

    /// <summary>Upper-case "D" form, as EF Core stores a Guid on SQLite.</summary>
    public ReadOnlySpan<byte> Encode(Guid id)
    {
        id.TryFormat(_bytes, out var written, "D");
        var span = _bytes.AsSpan(0, written);
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i] is >= (byte)'a' and <= (byte)'f')
            {
                span[i] -= 'a' - 'A';
            }
        }

        return span;
    }

    /// <summary>As <see cref="SqlValues.SqliteTimeFormat"/>.</summary>
    public ReadOnlySpan<byte> Encode(DateTime time)
    {
        time.TryFormat(_bytes, out var written, SqlValues.SqliteTimeFormat, CultureInfo.InvariantCulture);
        return _bytes.AsSpan(0, written);
    }
}
