using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Platform;
using Promoter.Platform.Csv;

namespace Promoter.Churn;

/// <param name="Committed">False when one or more rows were refused: then nothing was stored.</param>
/// <param name="Rows">Data rows in the file.</param>
/// <param name="Created">New events stored.</param>
/// <param name="Duplicates">Rows naming an event already stored (or repeated in the file): skipped, as the API does.</param>
/// <param name="Rejected">Rows with at least one problem.</param>
/// <param name="Errors">Problems found.</param>
/// <param name="FirstErrors">The first problems, for a short report; the callback sees them all.</param>
/// <param name="Elapsed">Wall time from start to commit.</param>
public sealed record ChurnImportResult(bool Committed, long Rows, long Created, long Duplicates, long Rejected, long Errors,
    IReadOnlyList<ImportRowError> FirstErrors, TimeSpan Elapsed)
{
    public string? EncodingNote { get; init; }
}

/// <summary>
/// Imports churn events from CSV, all or nothing, with the API's rules (<see cref="ChurnEventRecorder"/>): every row is
/// read and checked first (fields, then that its contact or account exists), and only a file without a single problem
/// is written, in one transaction. Columns by header name, any case: <c>email</c>, <c>contact_id</c>, <c>account</c>
/// (one of them), <c>occurred_at</c> (required), <c>reason</c>, <c>revenue</c>, <c>external_key</c>.
/// </summary>
public sealed class ChurnEventImporter(PromoterDb db, ChurnEventRecorder recorder, TimeProvider clock)
{
    public const int MaxReportedErrors = 100;
    public const int MaxRows = 1_000_000;
    private const int LookupChunk = 1_000;

    private static readonly string[] s_columns = ["email", "contact_id", "account", "occurred_at", "reason", "revenue", "external_key"];

    private sealed record Row(long Line, string? EmailKey, Guid? ContactId, string? Account, DateTime At, string? Reason, double? Revenue, string? Key);

    public async Task<ChurnImportResult> ImportAsync(Stream csv, Action<ImportRowError>? onError, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        _ = db.Workspace.RequiredWorkspaceId;
        var now = clock.GetUtcNow().UtcDateTime;
        var first = new List<ImportRowError>();
        long errorCount = 0, rejected = 0;
        void Report(ImportRowError e)
        {
            errorCount++;
            if (first.Count < MaxReportedErrors)
            {
                first.Add(e);
            }

            onError?.Invoke(e);
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

        var rows = new List<Row>();
        long total = 0;
        using (var reader = text.Reader)
        {
            var records = new CsvRecordReader(reader);
            Dictionary<string, int> index;
            try
            {
                var header = records.ReadHeader(detectDelimiter: true)
                             ?? throw new ImportFileException("The file is empty; expected a header row (email, occurred_at, reason, revenue, …).");
                index = Columns(header);
            }
            catch (FormatException e)
            {
                throw new ImportFileException(e.Message);
            }
            catch (DecoderFallbackException)
            {
                throw new ImportFileException("line 1: the file is not valid UTF-8 text; save it as \"CSV UTF-8\" and try again.");
            }

            var errors = new FieldErrors();
            while (Next(records))
            {
                ct.ThrowIfCancellationRequested();
                if (records.Fields.Count == 1 && records.Fields[0].Length == 0)
                {
                    continue;
                }

                if (++total > MaxRows)
                {
                    throw new ImportFileException($"The file has more than {MaxRows:N0} rows; split it.");
                }

                errors.Clear();
                var fields = records.Fields;
                string? Cell(string column) => index.TryGetValue(column, out var i) && i < fields.Count && fields[i].Length > 0 ? fields[i] : null;
                if (fields.Count != index["$count"])
                {
                    errors.Add("row", $"Expected {index["$count"]} fields as in the header, found {fields.Count}.");
                }

                Guid? contactId = null;
                if (Cell("contact_id") is { } idText)
                {
                    if (Guid.TryParse(idText, out var id))
                    {
                        contactId = id;
                    }
                    else
                    {
                        errors.Add("contact_id", "Not a contact id.");
                    }
                }

                double? revenue = null;
                if (Cell("revenue") is { } revenueText)
                {
                    if (double.TryParse(revenueText, NumberStyles.Float, CultureInfo.InvariantCulture, out var r))
                    {
                        revenue = r;
                    }
                    else
                    {
                        errors.Add("revenue", "A number with a '.' for decimals, e.g. 1200.50.");
                    }
                }

                var input = new ChurnEventInput(Cell("email"), contactId, Cell("account"), Cell("occurred_at"), Cell("reason"), revenue, Cell("external_key"));
                var checkedRow = errors.Any ? null : ChurnEventRecorder.Check(input, now, errors);
                if (errors.Any || checkedRow is null)
                {
                    rejected++;
                    foreach (var (field, message) in errors.All)
                    {
                        Report(new ImportRowError(records.LineNumber, Snake(field), message, Cell(Snake(field))));
                    }

                    continue;
                }

                var (emailKey, cid, account, at, reason, rev, key) = checkedRow.Value;
                rows.Add(new Row(records.LineNumber, emailKey, cid, account, at, reason, rev, key));
            }
        }

        // Contacts and accounts the rows name must exist: an import never creates contacts.
        var resolved = new List<(Row Row, ValidChurnEvent Event)>(rows.Count);
        var emailIds = await LookupAsync(rows.Where(r => r.EmailKey is not null).Select(r => r.EmailKey!),
            keys => db.Contacts.Where(c => c.EmailKey != null && keys.Contains(c.EmailKey)).Select(c => new { Key = c.EmailKey!, c.Id }).ToListAsync(ct), x => x.Key, x => x.Id);
        var knownIds = await LookupAsync(rows.Where(r => r.ContactId is not null).Select(r => r.ContactId!.Value),
            keys => db.Contacts.Where(c => keys.Contains(c.Id)).Select(c => new { c.Id }).ToListAsync(ct), x => x.Id, x => x.Id);
        var accounts = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            Guid? id = row.EmailKey is { } email ? emailIds.TryGetValue(email, out var byEmail) ? byEmail : null
                : row.ContactId is { } given ? knownIds.TryGetValue(given, out var byId) ? byId : null
                : null;
            ValidChurnEvent? valid;
            if (row.Account is { } account)
            {
                if (!accounts.TryGetValue(account, out var exists))
                {
                    accounts[account] = exists = await recorder.ResolveAsync(null, null, account, row.At, null, null, null, ct) is not null;
                }

                valid = exists ? new ValidChurnEvent(null, account, row.At, row.Reason, row.Revenue, row.Key) : null;
            }
            else
            {
                valid = id is null ? null : new ValidChurnEvent(id, null, row.At, row.Reason, row.Revenue, row.Key);
            }

            if (valid is null)
            {
                rejected++;
                var field = row.Account is not null ? "account" : row.EmailKey is not null ? "email" : "contact_id";
                Report(new ImportRowError(row.Line, field, row.Account is not null ? "No contact has this account." : "No such contact; churn events never create contacts.",
                    row.Account ?? row.EmailKey ?? row.ContactId?.ToString()));
                continue;
            }

            resolved.Add((row, valid));
        }

        if (rejected > 0)
        {
            return new ChurnImportResult(false, total, 0, 0, rejected, errorCount, first, Stopwatch.GetElapsedTime(started)) { EncodingNote = text.Note };
        }

        var stored = await LookupAsync(resolved.Select(r => r.Event.DedupeKey),
            keys => db.ChurnEvents.Where(e => keys.Contains(e.DedupeKey)).Select(e => new { e.DedupeKey }).ToListAsync(ct), x => x.DedupeKey, x => true);
        var seen = new HashSet<string>(stored.Keys, StringComparer.Ordinal);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        long created = 0, duplicates = 0;
        foreach (var (_, valid) in resolved)
        {
            if (!seen.Add(valid.DedupeKey))
            {
                duplicates++;
                continue;
            }

            db.ChurnEvents.Add(recorder.NewEvent(valid, "csv", now));
            if (++created % LookupChunk == 0)
            {
                await db.SaveChangesAsync(ct);
                db.ChangeTracker.Clear();
            }
        }

        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new ChurnImportResult(true, total, created, duplicates, 0, 0, first, Stopwatch.GetElapsedTime(started)) { EncodingNote = text.Note };
    }

    private static Dictionary<string, int> Columns(IReadOnlyList<string> header)
    {
        var index = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Count; i++)
        {
            var name = header[i].Trim();
            if (!s_columns.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                throw new ImportFileException($"line 1: unknown column '{name}'; use {string.Join(", ", s_columns)}.");
            }

            if (!index.TryAdd(name, i))
            {
                throw new ImportFileException($"line 1: the column '{name}' appears twice.");
            }
        }

        if (!index.ContainsKey("occurred_at"))
        {
            throw new ImportFileException("line 1: an occurred_at column is required.");
        }

        index["$count"] = header.Count;
        return index;
    }

    // The API's field names (camelCase) as the file's column names.
    private static string Snake(string field) => field switch
    {
        "occurredAt" => "occurred_at",
        "externalKey" => "external_key",
        "contactId" => "contact_id",
        _ => field,
    };

    private static async Task<Dictionary<TKey, TValue>> LookupAsync<TKey, TRow, TValue>(IEnumerable<TKey> keys, Func<List<TKey>, Task<List<TRow>>> query,
        Func<TRow, TKey> keyOf, Func<TRow, TValue> valueOf) where TKey : notnull
    {
        var found = new Dictionary<TKey, TValue>();
        foreach (var chunk in keys.Distinct().Chunk(LookupChunk))
        {
            foreach (var row in await query([.. chunk]))
            {
                found[keyOf(row)] = valueOf(row);
            }
        }

        return found;
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
