using System.Diagnostics;
using System.Text;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Platform.Csv;

namespace Promoter.Collect;

/// <summary>What to import and how to report it.</summary>
public sealed record ImportRequest
{
    public required Guid SurveyId { get; init; }

    /// <summary>Import the valid rows and report the others; by default one bad row means nothing is imported.</summary>
    public bool SkipInvalid { get; init; }

    /// <summary>Called for every rejected cell, in file order, from the reading thread (e.g. to write an errors file).</summary>
    public Action<ImportRowError>? OnError { get; init; }

    /// <summary>Counters a caller may poll to draw progress.</summary>
    public ImportProgress? Progress { get; init; }

    /// <summary>Who ran the import, for the audit log (<c>system</c>, <c>user:{id}</c>…).</summary>
    public string Actor { get; init; } = AuditLog.System;

    /// <summary>A short description of the source for the audit log, e.g. the file name.</summary>
    public string Source { get; init; } = "csv";

    /// <summary>PostgreSQL only: load rows with binary COPY (default) rather than multi-row INSERTs.</summary>
    public bool PostgresCopy { get; init; } = true;

    /// <summary>The file's columns: Promoter's own by default, or another product's export (Delighted).</summary>
    public ImportFormat Format { get; init; } = ResponsesCsvFormat.Instance;
}

/// <summary>Import progress, updated by the importer and safe to read from any thread.</summary>
public sealed class ImportProgress
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

    internal void Wrote(long rows) => Interlocked.Add(ref _rowsWritten, rows);
}

/// <param name="Imported">Rows stored (0 unless <see cref="Committed"/>).</param>
/// <param name="Rejected">Rows refused by validation.</param>
/// <param name="Errors">Problems found (a row may have several).</param>
/// <param name="FirstErrors">The first problems, for a short report; <see cref="ImportRequest.OnError"/> sees them all.</param>
/// <param name="Contacts">Distinct contacts (by email) the imported rows were linked to.</param>
/// <param name="Committed">False when nothing was stored (rejected rows without <see cref="ImportRequest.SkipInvalid"/>).</param>
/// <param name="Elapsed">Wall time from start to commit.</param>
public sealed record ImportResult(long Imported, long Rejected, long Errors, IReadOnlyList<ImportRowError> FirstErrors, long Contacts, bool Committed, TimeSpan Elapsed)
{
    public double RowsPerSecond => Elapsed.TotalSeconds > 0 ? Imported / Elapsed.TotalSeconds : 0;

    /// <summary>Rows left out because their key is already stored for the survey (a repeated import).</summary>
    public long AlreadyImported { get; init; }

    /// <summary>Set when the file was not UTF-8 (UTF-16, or read as Windows-1252): a line for the import report.</summary>
    public string? EncodingNote { get; init; }

    /// <summary>Rows left out because they carry no score (answers never given), per the format's rules.</summary>
    public long WithoutScore { get; init; }

    /// <summary>Maintenance after the commit, not in <see cref="Elapsed"/> (SQLite: copying the import from the WAL into the database file).</summary>
    public TimeSpan AfterCommit { get; init; }

    /// <summary>Where the writer's time went, for benchmarks.</summary>
    internal ImportTimings? Timings { get; init; }
}

/// <summary>Wall time of the writing side's phases; waiting for the reader is what is left of <see cref="ImportResult.Elapsed"/>.</summary>
internal sealed class ImportTimings
{
    public TimeSpan Contacts;
    public TimeSpan Rows;
    public TimeSpan Rollups;
    public TimeSpan NewContacts;
    public TimeSpan BeforeCommit;
    public TimeSpan Commit;

    public override string ToString() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"contacts {Contacts.TotalSeconds:0.00} s, rows {Rows.TotalSeconds:0.00} s, rollups {Rollups.TotalSeconds:0.00} s, " +
        $"new contacts {NewContacts.TotalSeconds:0.00} s, before commit (all) {BeforeCommit.TotalSeconds:0.00} s, commit {Commit.TotalSeconds:0.00} s");
}

/// <summary>
/// Imports historical responses from CSV into one survey, all or nothing: the file is read and checked on one thread
/// while another writes the rows with reused prepared statements (PostgreSQL: binary COPY) inside ONE transaction,
/// which commits only after the last row. A bad row (unless <see cref="ImportRequest.SkipInvalid"/>), a broken file,
/// cancellation or a crash leaves the database as it was. Contacts named by email are found or created in the same
/// transaction, filling gaps only, as the intake API does.
/// </summary>
/// <remarks>
/// On SQLite the transaction holds the write lock for the whole import (10–20 s per million rows on 2 cores); other
/// writers wait up to their busy timeout. Callers bind the scope to the survey's workspace first (<see cref="WorkspaceContext"/>).
/// </remarks>
public sealed class ResponseImporter(PromoterDb db, IOptions<DatabaseOptions> options, TimeProvider clock)
{
    public const int MaxReportedErrors = 100;
    internal const int BatchRows = 2048;
    private const int BatchesInFlight = 4;

    public async Task<ImportResult> ImportAsync(Stream csv, ImportRequest request, CancellationToken ct)
    {
        if (request.Progress is { } progress && csv.CanSeek)
        {
            progress.TotalBytes = csv.Length;
        }

        CsvText text;
        try
        {
            // Date cells of an Excel workbook carry no zone: they are read as the workspace's local time.
            var zoneId = await db.Workspaces.AsNoTracking().Where(w => w.Id == db.Workspace.RequiredWorkspaceId).Select(w => w.TimeZone).SingleOrDefaultAsync(ct);
            text = await CsvText.OpenAsync(csv, ct, zone: TimeZoneInfo.TryFindSystemTimeZoneById(zoneId ?? "UTC", out var zone) ? zone : TimeZoneInfo.Utc);
        }
        catch (FormatException e)
        {
            throw new ImportFileException(e.Message);
        }

        using var reader = text.Reader;
        return await ImportAsync(csv, reader, request, ct) with { EncodingNote = text.Note };
    }

    private async Task<ImportResult> ImportAsync(Stream csv, TextReader reader, ImportRequest request, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var workspaceId = db.Workspace.RequiredWorkspaceId;
        var survey = await db.Surveys.AsNoTracking().Where(s => s.Id == request.SurveyId)
            .Select(s => new { s.Id, s.DefaultLanguage }).SingleOrDefaultAsync(ct) ?? throw new Platform.NotFoundException("survey");
        var now = clock.GetUtcNow().UtcDateTime;
        var csvReader = new CsvRecordReader(reader);
        // Filled under the import's write lock before the first record is read (see ImportFormat.KeyPrefix).
        var storedKeys = new HashSet<string>(StringComparer.Ordinal);
        IImportRowReader rowReader;
        try
        {
            var header = csvReader.ReadHeader(detectDelimiter: true) ?? throw new ImportFileException("The file is empty; expected a header row (score, responded_at, …).");
            rowReader = request.Format.CreateReader(header, new ImportReaderContext(survey.DefaultLanguage, now, storedKeys));
        }
        catch (FormatException e)
        {
            throw new ImportFileException(e.Message);
        }
        catch (DecoderFallbackException)
        {
            throw new ImportFileException("line 1: the file is not valid UTF-8 text; save it as \"CSV UTF-8\" and try again.");
        }

        var target = new ImportTarget(workspaceId, survey.Id, now, options.Value.Provider);
        var state = new ReadState(request);
        var full = Channel.CreateBounded<RowBatch>(new BoundedChannelOptions(BatchesInFlight) { SingleReader = true, SingleWriter = true });
        var free = Channel.CreateUnbounded<RowBatch>();
        for (var i = 0; i < BatchesInFlight + 1; i++)
        {
            free.Writer.TryWrite(new RowBatch(BatchRows));
        }

        // Open (and lock) first: if the database cannot be reached, no reader is left behind.
        await using var sink = await ImportSink.OpenAsync(options.Value, target, request.PostgresCopy, ct);
        if (request.Format.KeyPrefix is { } prefix)
        {
            await sink.ReadStoredKeysAsync(prefix, storedKeys, ct);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var producer = Task.Run(() => ReadAllAsync(csvReader, csv, rowReader, state, full.Writer, free.Reader, stop.Token), stop.Token);

        var contacts = 0L;
        // Rollup counting is plain CPU work on rows already written: it runs beside the writer, one batch at a time,
        // and hands the batch back to the reader when done.
        var counting = Task.CompletedTask;
        try
        {
            await foreach (var batch in full.Reader.ReadAllAsync(ct))
            {
                await sink.WriteAsync(batch, ct);
                request.Progress?.Wrote(batch.Count);
                await counting;
                counting = Task.Run(() =>
                {
                    sink.Count(batch);
                    batch.Count = 0;
                    free.Writer.TryWrite(batch);
                }, CancellationToken.None);
            }

            await counting;
            await producer;
            if (state.Rejected > 0 && !request.SkipInvalid)
            {
                return state.Result(0, 0, committed: false, started);
            }

            contacts = sink.Contacts;
            await sink.CommitAsync(request.Actor, $"{state.Accepted} responses imported from {request.Source} ({state.Rejected} rejected" +
                (state.AlreadyImported > 0 ? $", {state.AlreadyImported} already imported" : "") +
                (state.WithoutScore > 0 ? $", {state.WithoutScore} without a score" : "") + ")", ct);
        }
        catch (Exception error)
        {
            // Stop the reader and let it finish before the transaction rolls back (sink disposal); a broken file is
            // the error to report even when the writer noticed first.
            await stop.CancelAsync();
            await counting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            try
            {
                await producer;
            }
            catch (ImportFileException fileError) when (error is not ImportFileException)
            {
                throw new ImportFileException(fileError.Message);
            }
            catch (Exception readError) when (readError is OperationCanceledException or ImportFileException)
            {
                // Already reported through the writer side.
            }

            throw;
        }

        var result = state.Result(state.Accepted, contacts, committed: true, started);
        var committed = Stopwatch.GetTimestamp();
        await sink.AfterCommitAsync(CancellationToken.None);
        return result with { AfterCommit = Stopwatch.GetElapsedTime(committed), Timings = sink.Timings };
    }

    private static async Task ReadAllAsync(CsvRecordReader csv, Stream source, IImportRowReader rows, ReadState state,
        ChannelWriter<RowBatch> full, ChannelReader<RowBatch> free, CancellationToken ct)
    {
        var rejected = new List<ImportRowError>();
        var batch = await free.ReadAsync(ct);
        long records = 0;
        try
        {
            while (Next(csv))
            {
                var fields = csv.Fields;
                if (fields.Count == 1 && fields[0].Length == 0)
                {
                    continue; // a blank line is not a record
                }

                records++;
                if ((records & 1023) == 0)
                {
                    ct.ThrowIfCancellationRequested();
                    state.Request.Progress?.Read(records, source.CanSeek ? source.Position : 0);
                }

                var row = batch.Rows[batch.Count];
                var outcome = rows.Read(fields, csv.LineNumber, row, rejected);
                if (outcome == ImportRowOutcome.NoScore)
                {
                    state.WithoutScore++;
                }
                else if (outcome == ImportRowOutcome.AlreadyImported)
                {
                    state.AlreadyImported++;
                }
                else if (outcome == ImportRowOutcome.Accepted)
                {
                    state.Accepted++;
                    if (state.Rejected > 0 && !state.Request.SkipInvalid)
                    {
                        continue; // nothing will be imported: just keep checking the rest of the file
                    }

                    if (++batch.Count == batch.Rows.Length)
                    {
                        batch.ExpectedRows = Expected(source, state.Accepted);
                        await full.WriteAsync(batch, ct);
                        batch = await free.ReadAsync(ct);
                    }
                }
                else
                {
                    state.Reject(rejected);
                    rejected.Clear();
                }
            }

            state.Request.Progress?.Read(records, source.CanSeek ? source.Position : 0);
            if (batch.Count > 0 && (state.Rejected == 0 || state.Request.SkipInvalid))
            {
                batch.ExpectedRows = state.Accepted;
                await full.WriteAsync(batch, ct);
            }

            full.Complete();
        }
        catch (Exception e)
        {
            full.Complete(e);
            throw;
        }
    }

    /// <summary>Rows the whole file probably holds, from the bytes read so far (the sink sizes its work by it).</summary>
    private static long Expected(Stream source, long rowsSoFar) =>
        source.CanSeek && source.Position > 0 ? Math.Max(rowsSoFar, (long)(rowsSoFar * ((double)source.Length / source.Position))) : rowsSoFar;

    private static bool Next(CsvRecordReader csv)
    {
        try
        {
            return csv.Read();
        }
        catch (FormatException e)
        {
            throw new ImportFileException(e.Message);
        }
        catch (DecoderFallbackException)
        {
            throw new ImportFileException($"after line {csv.LineNumber}: the file is not valid text in its encoding; save it as \"CSV UTF-8\" and try again.");
        }
    }

    private sealed class ReadState(ImportRequest request)
    {
        private readonly List<ImportRowError> _first = [];
        private long _errors;

        public ImportRequest Request { get; } = request;
        public long Accepted { get; set; }
        public long Rejected { get; private set; }
        public long AlreadyImported { get; set; }
        public long WithoutScore { get; set; }

        public void Reject(List<ImportRowError> errors)
        {
            Rejected++;
            foreach (var error in errors)
            {
                _errors++;
                if (_first.Count < MaxReportedErrors)
                {
                    _first.Add(error);
                }

                Request.OnError?.Invoke(error);
            }
        }

        public ImportResult Result(long imported, long contacts, bool committed, long started) =>
            new(imported, Rejected, _errors, _first, contacts, committed, Stopwatch.GetElapsedTime(started))
            {
                AlreadyImported = AlreadyImported,
                WithoutScore = WithoutScore,
            };
    }
}

/// <summary>A reusable block of rows handed from the reading thread to the writing one.</summary>
internal sealed class RowBatch
{
    public RowBatch(int capacity)
    {
        Rows = new ImportRow[capacity];
        for (var i = 0; i < capacity; i++)
        {
            Rows[i] = new ImportRow();
        }
    }

    public ImportRow[] Rows { get; }
    public int Count { get; set; }

    /// <summary>The reader's estimate of the rows in the whole import, when this batch was filled.</summary>
    public long ExpectedRows { get; set; }
}

/// <summary>The survey rows go to, and the values every row shares.</summary>
internal sealed record ImportTarget(Guid WorkspaceId, Guid SurveyId, DateTime Now, DatabaseProvider Provider);
