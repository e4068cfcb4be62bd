using System.Text;

namespace Promoter.Platform.Csv;

/// <summary>
/// Opens an uploaded CSV as text, the one place every import (responses, contacts, Delighted; CLI and pages) decides
/// the encoding: a UTF-8 or UTF-16 (LE/BE) byte-order mark wins; otherwise UTF-8 when the start of the file is valid
/// UTF-8, else Windows-1252 (what Excel on Windows saves as "CSV"), which <see cref="Note"/> then says. An Excel
/// workbook (XLSX) is read through its first sheet; an old XLS, an image or a PDF is refused with a message that names what it looks like.
/// </summary>
public sealed class CsvText
{
    private const int Sample = 64 * 1024;

    static CsvText() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private CsvText(TextReader reader, string? note) => (Reader, Note) = (reader, note);

    public TextReader Reader { get; }

    /// <summary>Set when the file was not UTF-8, for the import report ("read as Windows-1252 …").</summary>
    public string? Note { get; }

    /// <summary>Opens <paramref name="stream"/>; throws <see cref="FormatException"/> for a file that is not text.</summary>
    /// <param name="stream">The upload.</param>
    /// <param name="ct">Cancels the read.</param>
    /// <param name="leaveOpen">Leave <paramref name="stream"/> open when the reader is disposed.</param>
    /// <param name="zone">The zone of an Excel workbook's date cells, which store none (UTC when not given).</param>
    public static async Task<CsvText> OpenAsync(Stream stream, CancellationToken ct, bool leaveOpen = true, TimeZoneInfo? zone = null)
    {
        var head = new byte[Sample];
        var length = 0;
        int read;
        while (length < head.Length && (read = await stream.ReadAsync(head.AsMemory(length), ct)) > 0)
        {
            length += read;
        }

        if (head.AsSpan(0, length).StartsWith("PK\u0003\u0004"u8))
        {
            return await WorkbookAsync(head, length, stream, leaveOpen, zone ?? TimeZoneInfo.Utc, ct);
        }

        return Open(head, length, stream, leaveOpen);
    }

    /// <summary>
    /// A ZIP archive: an Excel workbook is read through its first sheet (<see cref="XlsxSheet"/>) and said so in the note;
    /// any other archive is refused as before.
    /// </summary>
    private static async Task<CsvText> WorkbookAsync(byte[] head, int length, Stream stream, bool leaveOpen, TimeZoneInfo zone, CancellationToken ct)
    {
        using var whole = new PrefixedStream(head, length, stream, leaveOpen);
        using var copy = new MemoryStream();
        await whole.CopyToAsync(copy, ct);
        copy.Position = 0;
        var sheet = XlsxSheet.TryRead(copy, zone);
        if (sheet is null)
        {
            throw new FormatException("line 1: this looks like a ZIP archive, not a CSV file or an Excel workbook (XLSX) that can be read. " +
                                      "Save or export it as \"CSV UTF-8 (comma delimited)\" and upload that.");
        }

        var (name, csv) = sheet.Value;
        return new CsvText(new StringReader(csv), $"The file is an Excel workbook; its first sheet (\"{name}\") was read; its date cells as times in {zone.Id}.");
    }

    private static CsvText Open(byte[] head, int length, Stream stream, bool leaveOpen)
    {
        var sample = head.AsSpan(0, length);
        var whole = new PrefixedStream(head, length, stream, leaveOpen);
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new CsvText(ReaderOf(whole, new UTF8Encoding(false, throwOnInvalidBytes: true), skip: 3), null);
        }

        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]))
        {
            return new CsvText(ReaderOf(whole, new UnicodeEncoding(bigEndian: false, byteOrderMark: false, throwOnInvalidBytes: true), skip: 2), "The file is UTF-16 (little-endian); it was read as such.");
        }

        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return new CsvText(ReaderOf(whole, new UnicodeEncoding(bigEndian: true, byteOrderMark: false, throwOnInvalidBytes: true), skip: 2), "The file is UTF-16 (big-endian); it was read as such.");
        }

        if (Binary(sample) is { } kind)
        {
            whole.Dispose();
            throw new FormatException($"line 1: this looks like {kind}, not a CSV file. Save or export it as \"CSV UTF-8 (comma delimited)\" and upload that.");
        }

        if (!ValidUtf8(sample, complete: length < Sample))
        {
            return new CsvText(ReaderOf(whole, Encoding.GetEncoding(1252), skip: 0),
                "The file is not UTF-8; it was read as Windows-1252 (Excel's \"CSV\" on Windows). Check accented letters; save as \"CSV UTF-8\" to be sure.");
        }

        return new CsvText(ReaderOf(whole, new UTF8Encoding(false, throwOnInvalidBytes: true), skip: 0), null);
    }

    private static StreamReader ReaderOf(PrefixedStream stream, Encoding encoding, int skip)
    {
        stream.Skip(skip);
        return new StreamReader(stream, encoding, detectEncodingFromByteOrderMarks: false, 1 << 16);
    }

    private static string? Binary(ReadOnlySpan<byte> sample)
    {
        if (sample.StartsWith((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0]))
        {
            return "an old Excel workbook (XLS)";
        }

        if (sample.StartsWith((ReadOnlySpan<byte>)[0x89, (byte)'P', (byte)'N', (byte)'G']))
        {
            return "a PNG image";
        }

        if (sample.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return "a JPEG image";
        }

        if (sample.StartsWith("%PDF"u8))
        {
            return "a PDF document";
        }

        // Text never holds NUL bytes (UTF-16 without a byte-order mark aside, which is rare enough to refuse).
        return sample.Contains((byte)0) ? "a binary file" : null;
    }

    private static bool ValidUtf8(ReadOnlySpan<byte> sample, bool complete)
    {
        var status = System.Text.Unicode.Utf8.ToUtf16(sample, new char[sample.Length], out _, out _, replaceInvalidSequences: false, isFinalBlock: complete);
        return status is System.Buffers.OperationStatus.Done or System.Buffers.OperationStatus.NeedMoreData;
    }

    /// <summary>The sniffed bytes followed by the rest of the stream, read once.</summary>
    private sealed class PrefixedStream(byte[] head, int length, Stream rest, bool leaveOpen) : Stream
    {
        private int _offset;

        public void Skip(int bytes) => _offset = Math.Min(length, _offset + bytes);

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_offset < length)
            {
                var n = Math.Min(buffer.Length, length - _offset);
                head.AsSpan(_offset, n).CopyTo(buffer);
                _offset += n;
                return n;
            }

            return rest.Read(buffer);
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_offset < length)
            {
                return Read(buffer.Span);
            }

            return await rest.ReadAsync(buffer, cancellationToken);
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing && !leaveOpen)
            {
                rest.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
