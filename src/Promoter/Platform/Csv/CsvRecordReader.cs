using System.Text;

namespace Promoter.Platform.Csv;

/// <summary>
/// An RFC 4180 reader: quoted fields with doubled quotes, delimiters and line breaks inside quotes, CRLF or LF.
/// Reports the physical line each record starts on so errors can name it. A leading UTF-8 BOM is dropped.
/// Written for imports of millions of rows: one pass over a char buffer, fields reused between records.
/// </summary>
public sealed class CsvRecordReader
{
    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[64 * 1024];
    private readonly StringBuilder _field = new();
    private readonly List<string> _fields = [];
    private int _length;
    private int _position;
    private long _line = 1;
    private bool _atStart = true;

    public CsvRecordReader(TextReader reader, char delimiter = ',')
    {
        _reader = reader;
        Delimiter = delimiter;
    }

    public char Delimiter { get; private set; }

    /// <summary>The fields of the current record (valid until the next <see cref="Read"/>).</summary>
    public IReadOnlyList<string> Fields => _fields;

    /// <summary>The 1-based line on which the current record starts.</summary>
    public long LineNumber { get; private set; }

    /// <summary>Picks the delimiter (comma, tab, semicolon or pipe) that occurs most in the first line.</summary>
    public static char DetectDelimiter(string headerLine)
    {
        char[] candidates = [',', '\t', ';', '|'];
        var best = ',';
        var bestCount = 0;
        foreach (var c in candidates)
        {
            var count = headerLine.Count(x => x == c);
            if (count > bestCount)
            {
                best = c;
                bestCount = count;
            }
        }

        return best;
    }

    /// <summary>Reads the next record; false at the end of input. Throws <see cref="FormatException"/> on a quote left open.</summary>
    public bool Read()
    {
        _fields.Clear();
        _field.Clear();
        if (!Fill())
        {
            return false;
        }

        LineNumber = _line;
        var quoted = false;
        var fieldStartedQuoted = false;
        while (true)
        {
            if (_position >= _length && !Fill())
            {
                if (quoted)
                {
                    throw new FormatException($"Line {LineNumber}: a quoted field is not closed.");
                }

                EndField(fieldStartedQuoted);
                return true;
            }

            var c = _buffer[_position++];
            if (quoted)
            {
                if (c == '"')
                {
                    if (Peek() == '"')
                    {
                        _position++;
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _line++;
                    }

                    _field.Append(c);
                }

                continue;
            }

            if (c == Delimiter)
            {
                EndField(fieldStartedQuoted);
                fieldStartedQuoted = false;
            }
            else if (c == '"' && _field.Length == 0 && !fieldStartedQuoted)
            {
                quoted = true;
                fieldStartedQuoted = true;
            }
            else if (c == '\n' || c == '\r')
            {
                if (c == '\r' && Peek() == '\n')
                {
                    _position++;
                }

                _line++;
                EndField(fieldStartedQuoted);
                return true;
            }
            else
            {
                _field.Append(c);
            }
        }
    }

    /// <summary>Reads the first record as a header and detects the delimiter from it when asked.</summary>
    public IReadOnlyList<string>? ReadHeader(bool detectDelimiter)
    {
        if (detectDelimiter && Fill())
        {
            var end = Array.IndexOf(_buffer, '\n', _position, _length - _position);
            Delimiter = DetectDelimiter(new string(_buffer, _position, (end < 0 ? _length : end) - _position));
        }

        return Read() ? _fields.Select(f => f.Trim()).ToList() : null;
    }

    private void EndField(bool wasQuoted)
    {
        _ = wasQuoted;
        _fields.Add(_field.ToString());
        _field.Clear();
    }

    private int Peek()
    {
        if (_position >= _length && !Fill())
        {
            return -1;
        }

        return _buffer[_position];
    }

    private bool Fill()
    {
        if (_position < _length)
        {
            return true;
        }

        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        if (_length > 0 && _atStart)
        {
            _atStart = false;
            if (_buffer[0] == '\uFEFF')
            {
                _position = 1;
            }
        }

        return _position < _length;
    }
}
