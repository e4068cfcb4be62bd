using System.Diagnostics;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Platform;
using Promoter.Platform.Csv;

namespace Promoter.Distribution.Contacts;

/// <summary>How far an import has got, read by a progress bar on another thread.</summary>
public sealed class ContactImportProgress
{
    private long _rowsRead;
    private long _rowsWritten;
    private long _bytesRead;

    public long RowsRead => Interlocked.Read(ref _rowsRead);
    public long RowsWritten => Interlocked.Read(ref _rowsWritten);
    public long BytesRead => Interlocked.Read(ref _bytesRead);

    /// <summary>The size of the input when known (a file), else 0.</summary>
    public long TotalBytes { get; set; }

    internal void Read(long rows, long bytes)
    {
        Interlocked.Exchange(ref _rowsRead, rows);
        Interlocked.Exchange(ref _bytesRead, bytes);
    }

    internal void Wrote(long rows) => Interlocked.Exchange(ref _rowsWritten, rows);
}

public sealed record ContactImportRequest
{
    public ContactImportProgress? Progress { get; init; }
    public string Source { get; init; } = "upload";
    public string? Actor { get; init; }

    /// <summary>Sees every rejected row's problem, e.g. to write an error report file.</summary>
    public Action<ImportRowError>? OnError { get; init; }
}

/// <param name="Committed">False when one or more rows were refused: then nothing was stored.</param>
/// <param name="Rows">Data rows in the file.</param>
/// <param name="Created">New contacts stored.</param>
/// <param name="Updated">Existing contacts changed.</param>
/// <param name="Rejected">Rows with at least one problem.</param>
/// <param name="Errors">Problems found (a row may have several).</param>
/// <param name="FirstErrors">The first problems, for a short report; <see cref="ContactImportRequest.OnError"/> sees them all.</param>
/// <param name="Elapsed">Wall time from start to commit.</param>
public sealed record ContactImportResult(bool Committed, long Rows, long Created, long Updated, long Rejected, long Errors,
    IReadOnlyList<ImportRowError> FirstErrors, TimeSpan Elapsed)
{
    /// <summary>Set when the file was not UTF-8 (UTF-16, or read as Windows-1252): a line for the import report.</summary>
    public string? EncodingNote { get; init; }
}

/// <summary>
/// Imports contacts from CSV, all or nothing: every row is read and checked first (field rules of
/// <see cref="ContactFields"/>, and no person twice in one file), and only a file without a single problem is written,
/// in one transaction. Rows upsert by email (else phone): existing contacts are updated and their properties merged.
/// </summary>
/// <remarks>
/// Columns by header name, any case: <c>email</c>, <c>phone</c>, <c>name</c>, <c>locale</c>, <c>time_zone</c>;
/// <c>property.NAME</c> and any other column become properties. An empty cell changes nothing.
/// </remarks>
public sealed class ContactImporter(PromoterDb db, ContactDirectory directory, AuditLog audit)
{
    public const int MaxReportedErrors = 100;
    public const int MaxRows = 1_000_000;

    private sealed record Row(long Line, ValidContact Contact);

    public async Task<ContactImportResult> ImportAsync(Stream csv, ContactImportRequest request, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        _ = db.Workspace.RequiredWorkspaceId;
        if (request.Progress is { } p && csv.CanSeek)
        {
            p.TotalBytes = csv.Length;
        }

        var errors = new List<ImportRowError>();
        var errorCount = 0L;
        var rejected = 0L;
        void Report(ImportRowError e)
        {
            errorCount++;
            if (errors.Count < MaxReportedErrors)
            {
                errors.Add(e);
            }

            request.OnError?.Invoke(e);
        }

        CsvText text;
        try
        {
            text = await CsvText.OpenAsync(csv, ct);
        }
        catch (FormatException e)
        {
            throw new ImportFileException(e.Message);
        }

        List<Row> rows;
        using (var reader = text.Reader)
        {
            rows = await ReadAsync(csv, reader, request.Progress, Report, () => rejected++, ct);
        }

        var total = rows.Count + rejected;

        await directory.PreloadAsync(
            rows.Where(r => r.Contact.EmailKey is not null).Select(r => r.Contact.EmailKey!).ToList(),
            rows.Where(r => r.Contact.Phone is not null).Select(r => r.Contact.Phone!).ToList(), ct);

        // Conflicts with stored contacts (a phone that belongs to someone else) are row errors too. They are looked for
        // even when other rows were refused already, so one report lists everything to fix.
        var created = 0L;
        var updated = 0L;
        foreach (var row in rows)
        {
            try
            {
                var contact = await directory.UpsertAsync(row.Contact, ct);
                if (db.Entry(contact).State == EntityState.Added)
                {
                    created++;
                }
                else
                {
                    updated++;
                }
            }
            catch (FieldConflictException conflict)
            {
                rejected++;
                Report(new ImportRowError(row.Line, conflict.Field, conflict.Message, conflict.Field == "phone" ? row.Contact.Phone : row.Contact.Email));
            }
            catch (RequestValidationException invalid)
            {
                rejected++;
                foreach (var (field, messages) in invalid.Errors)
                {
                    Report(new ImportRowError(row.Line, field, string.Join(" ", messages), null));
                }
            }

            request.Progress?.Wrote(created + updated);
        }

        if (rejected > 0)
        {
            db.ChangeTracker.Clear();
            directory.Forget();
            return new ContactImportResult(false, total, 0, 0, rejected, errorCount, errors, Stopwatch.GetElapsedTime(started)) { EncodingNote = text.Note };
        }

        audit.Record("contacts.imported", "contacts", $"{created} created, {updated} updated from {request.Source}", request.Actor);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            db.ChangeTracker.Clear();
            directory.Forget();
            throw new ConflictException("contacts_changed", "Contacts with the same email or phone were saved while the file was imported; nothing was imported. Run the import again.");
        }

        await tx.CommitAsync(ct);
        return new ContactImportResult(true, rows.Count, created, updated, 0, 0, errors, Stopwatch.GetElapsedTime(started)) { EncodingNote = text.Note };
    }

    private static async Task<List<Row>> ReadAsync(Stream csv, TextReader reader, ContactImportProgress? progress, Action<ImportRowError> report, Action reject, CancellationToken ct)
    {
        var records = new CsvRecordReader(reader);
        ContactColumns columns;
        try
        {
            var header = records.ReadHeader(detectDelimiter: true) ?? throw new ImportFileException("The file is empty; expected a header row (email, phone, name, locale, time_zone, …).");
            columns = ContactColumns.From(header);
        }
        catch (FormatException e)
        {
            throw new ImportFileException(e.Message);
        }
        catch (DecoderFallbackException)
        {
            throw new ImportFileException("line 1: the file is not valid UTF-8 text; save it as \"CSV UTF-8\" and try again.");
        }

        var rows = new List<Row>();
        var emailLines = new Dictionary<string, long>(StringComparer.Ordinal);
        var phoneLines = new Dictionary<string, long>(StringComparer.Ordinal);
        var fieldErrors = new FieldErrors();
        long count = 0;
        while (Next(records))
        {
            ct.ThrowIfCancellationRequested();
            if (records.Fields.Count == 1 && records.Fields[0].Length == 0)
            {
                continue; // a blank line
            }

            if (++count > MaxRows)
            {
                throw new ImportFileException($"The file has more than {MaxRows:N0} rows; split it.");
            }

            var line = records.LineNumber;
            fieldErrors.Clear();
            if (records.Fields.Count != columns.Count)
            {
                fieldErrors.Add("row", $"Expected {columns.Count} fields as in the header, found {records.Fields.Count}.");
            }

            var input = columns.Read(records.Fields);
            var valid = ContactFields.Validate(input, fieldErrors);
            if (!fieldErrors.Any)
            {
                // The same person twice in one file is almost always a mistake in the export; say which lines.
                if (valid.EmailKey is { } key && !emailLines.TryAdd(key, line))
                {
                    fieldErrors.Add("email", $"The same email as line {emailLines[key]}; each contact must appear once.");
                }

                if (valid.Phone is { } phone && !phoneLines.TryAdd(phone, line))
                {
                    fieldErrors.Add("phone", $"The same phone as line {phoneLines[phone]}; each contact must appear once.");
                }
            }

            if (fieldErrors.Any)
            {
                reject();
                foreach (var (field, message) in fieldErrors.All)
                {
                    report(new ImportRowError(line, field, message, columns.ValueOf(field, records.Fields)));
                }
            }
            else
            {
                rows.Add(new Row(line, valid));
            }

            if ((count & 255) == 0)
            {
                progress?.Read(count, csv.CanSeek ? csv.Position : 0);
                await Task.Yield();
            }
        }

        progress?.Read(count, csv.CanSeek ? csv.Position : 0);
        return rows;
    }

    private static bool Next(CsvRecordReader records)
    {
        try
        {
            return records.Read();
        }
        catch (FormatException e)
        {
            throw new ImportFileException(e.Message);
        }
        catch (DecoderFallbackException)
        {
            throw new ImportFileException($"after line {records.LineNumber}: the file is not valid text in its encoding; save it as \"CSV UTF-8\" and try again.");
        }
    }
}

/// <summary>The columns of a contact import file, by header name.</summary>
internal sealed class ContactColumns
{
    private int _email = -1;
    private int _phone = -1;
    private int _name = -1;
    private int _locale = -1;
    private int _timeZone = -1;
    private readonly List<(string Name, int Index)> _properties = [];

    private ContactColumns(int count) => Count = count;

    public int Count { get; }

    public static ContactColumns From(IReadOnlyList<string> header)
    {
        var columns = new ContactColumns(header.Count);
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i];
            if (name.Length == 0)
            {
                throw new ImportFileException($"Column {i + 1} has no name in the header row.");
            }

            if (!seen.Add(name))
            {
                throw new ImportFileException($"The column '{Shown(name)}' appears twice in the header row.");
            }

            switch (name.ToLowerInvariant())
            {
                case "email": Assign(ref columns._email, i, name); break;
                case "phone": Assign(ref columns._phone, i, name); break;
                case "name": Assign(ref columns._name, i, name); break;
                case "locale" or "language": Assign(ref columns._locale, i, name); break;
                case "time_zone" or "timezone" or "tz": Assign(ref columns._timeZone, i, name); break;
                default:
                    var property = name.StartsWith("property.", StringComparison.OrdinalIgnoreCase) ? name["property.".Length..] : name;
                    if (!TextInput.IsPropertyKey(property))
                    {
                        throw new ImportFileException($"The column '{Shown(name)}' is not a contact field or a property name (letters, digits, '_', '.', '-').");
                    }

                    columns._properties.Add((property, i));
                    break;
            }
        }

        if (columns._email < 0 && columns._phone < 0)
        {
            throw new ImportFileException("The header row needs an 'email' or a 'phone' column.");
        }

        if (columns._properties.Count > ContactFields.MaxProperties)
        {
            throw new ImportFileException($"The file has {columns._properties.Count} property columns; a contact has at most {ContactFields.MaxProperties}.");
        }

        return columns;
    }

    private static void Assign(ref int slot, int index, string name)
    {
        if (slot >= 0)
        {
            throw new ImportFileException($"The column '{Shown(name)}' repeats a contact field given by an earlier column.");
        }

        slot = index;
    }

    public ContactInput Read(IReadOnlyList<string> fields)
    {
        Dictionary<string, string>? properties = null;
        foreach (var (name, index) in _properties)
        {
            if (Cell(fields, index) is { } value)
            {
                (properties ??= new(StringComparer.Ordinal))[name] = value;
            }
        }

        return new ContactInput(Cell(fields, _email), Cell(fields, _phone), Cell(fields, _name), Cell(fields, _locale), Cell(fields, _timeZone), properties);
    }

    /// <summary>The cell a field error is about, for the error report.</summary>
    public string? ValueOf(string field, IReadOnlyList<string> fields) => field switch
    {
        "email" => Cell(fields, _email),
        "phone" => Cell(fields, _phone),
        "name" => Cell(fields, _name),
        "locale" => Cell(fields, _locale),
        "timeZone" => Cell(fields, _timeZone),
        _ when field.StartsWith("properties.", StringComparison.Ordinal) =>
            _properties.Where(p => p.Name == field["properties.".Length..]).Select(p => Cell(fields, p.Index)).FirstOrDefault(),
        _ => null,
    };

    // An empty cell means "nothing to say", not "clear this field".
    private static string? Cell(IReadOnlyList<string> fields, int index) =>
        index >= 0 && index < fields.Count && fields[index].Length > 0 ? fields[index] : null;

    private static string Shown(string name) =>
        new(name.Where(c => !char.IsControl(c) && !TextInput.IsBidiControl(c)).Take(64).ToArray());
}
