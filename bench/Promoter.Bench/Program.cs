using System.CommandLine;
using System.Globalization;

namespace Promoter.Bench;

/// <summary>
/// <c>dotnet run -c Release --project bench/Promoter.Bench -- import --rows N | intake --seconds S --concurrency C | smoke</c>.
/// Each command ends with one line <c>RESULT key=value …</c>; any failed check exits 1.
/// </summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var rows = new Option<int>("--rows") { Description = "Rows in the generated CSV.", DefaultValueFactory = _ => 1_000_000 };
        var import = new Command("import", "Import a generated CSV into a fresh SQLite file; DuckDB loads the same file as a baseline.") { rows };
        import.SetAction(async (r, ct) => Print(await ImportBench.RunAsync(r.GetValue(rows), Console.Out, ct)));

        var floorRows = new Option<int>("--rows") { Description = "Rows to store.", DefaultValueFactory = _ => 1_000_000 };
        var floor = new Command("sqlite-floor", "What SQLite alone needs to store N responses durably: today's schema, and the narrowest one that still serves the product's reads.") { floorRows };
        floor.SetAction(async (r, ct) =>
        {
            var phases = await SqliteFloor.RunAsync(r.GetValue(floorRows), Console.Out, ct);
            Console.WriteLine("RESULT " + string.Join(' ', phases.Select(p => string.Create(CultureInfo.InvariantCulture,
                $"{p.Schema}_seconds={p.TotalSeconds:0.00} {p.Schema}_rows_per_s={r.GetValue(floorRows) / p.TotalSeconds:0}"))));
            return 0;
        });

        var seconds = new Option<double>("--seconds") { Description = "Measured load time.", DefaultValueFactory = _ => 10 };
        var concurrency = new Option<int>("--concurrency") { Description = "Concurrent HTTP clients.", DefaultValueFactory = _ => 64 };
        var wrk = new Option<bool>("--wrk") { Description = "Generate the load with wrk (bench/install-wrk.sh) instead of in-process HttpClients." };
        var intake = new Command("intake", "POST /api/v1/responses against the real server on SQLite (synchronous=FULL).") { seconds, concurrency, wrk };
        intake.SetAction(async (r, ct) =>
            Print(await IntakeBench.RunAsync(r.GetValue(seconds), r.GetValue(concurrency), r.GetValue(wrk), Console.Out, ct), r.GetValue(concurrency)));

        var responses = new Option<int>("--responses") { Description = "Responses to generate.", DefaultValueFactory = _ => 1_000_000 };
        var iterations = new Option<int>("--iterations") { Description = "Timed repetitions (after 3 warm-ups).", DefaultValueFactory = _ => 30 };
        var dashboard = new Command("dashboard", "Dashboard queries on rollups vs DuckDB scanning the same raw rows; checks the answers agree.") { responses, iterations };
        dashboard.SetAction(async (r, ct) => Print(await DashboardBench.RunAsync(r.GetValue(responses), r.GetValue(iterations), Console.Out, ct)));

        var exportRows = new Option<int>("--rows") { Description = "Responses to generate and export.", DefaultValueFactory = _ => 1_000_000 };
        var export = new Command("export", "CSV and XLSX exports of a tenth and of all rows: time, size and peak memory; DuckDB COPY TO csv as the baseline.") { exportRows };
        export.SetAction(async (r, ct) => Print(await ExportBench.RunAsync(r.GetValue(exportRows), Console.Out, ct)));

        var delightedRows = new Option<int>("--rows") { Description = "Rows in the generated Delighted export.", DefaultValueFactory = _ => 100_000 };
        var delighted = new Command("delighted", "Import a generated Delighted response export into a fresh SQLite file, then again (nothing new); DuckDB reads the same file as a baseline.") { delightedRows };
        delighted.SetAction(async (r, ct) =>
        {
            var o = await DelightedImportBench.RunAsync(r.GetValue(delightedRows), Console.Out, ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT rows={o.Rows} imported={o.Imported} seconds={o.Seconds:0.000} rows_per_s={o.RowsPerSecond:0} cpu_seconds={o.CpuSeconds:0.00} repeat_seconds={o.RepeatSeconds:0.000} duckdb_seconds={o.DuckDbSeconds:0.000} duckdb_rows_per_s={o.Rows / o.DuckDbSeconds:0}"));
            return 0;
        });

        var contacts = new Option<int>("--contacts") { Description = "Contacts to send to.", DefaultValueFactory = _ => 10_000 };
        var send = new Command("send", "A batch send to N contacts, queued and delivered to a local maildev; plain System.Net.Mail sends as the baseline.") { contacts };
        send.SetAction(async (r, ct) =>
        {
            var o = await SendBench.RunAsync(r.GetValue(contacts), Console.Out, ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT contacts={o.Contacts} queue_seconds={o.QueueSeconds:0.000} deliver_seconds={o.DeliverSeconds:0.000} emails_per_s={o.EmailsPerSecond:0} baseline_seconds={o.BaselineSeconds:0.000} baseline_emails_per_s={o.BaselinePerSecond:0}"));
            return 0;
        });

        var whyResponses = new Option<int>("--responses") { Description = "Commented responses to generate.", DefaultValueFactory = _ => 1_000_000 };
        var whyIterations = new Option<int>("--iterations") { Description = "Timed requests per question (after 3 warm-ups).", DefaultValueFactory = _ => 20 };
        var intakeSeconds = new Option<double>("--intake-seconds") { Description = "Seconds per intake run with the text worker on and off (two pairs); 0 skips.", DefaultValueFactory = _ => 10 };
        var why = new Command("why", "The Why section (words and themes) over N commented responses through the real server; DuckDB counts the same term rows; indexing, import and intake overhead.")
            { whyResponses, whyIterations, intakeSeconds };
        why.SetAction(async (r, ct) => Print(await WhyBench.RunAsync(r.GetValue(whyResponses), r.GetValue(whyIterations), r.GetValue(intakeSeconds), Console.Out, ct)));

        var churnContacts = new Option<int>("--contacts") { Description = "Contacts to rescore.", DefaultValueFactory = _ => 100_000 };
        var churnResponses = new Option<int>("--responses-per-contact") { Description = "Responses per contact.", DefaultValueFactory = _ => 10 };
        var churn = new Command("churn", "The nightly churn refit and rescoring of N contacts with R responses each on SQLite: contacts per second and peak managed memory.")
            { churnContacts, churnResponses };
        churn.SetAction(async (r, ct) =>
        {
            var o = await ChurnBench.RunAsync(r.GetValue(churnContacts), r.GetValue(churnResponses), Console.Out, ct);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT contacts={o.Contacts} responses={o.Responses} seconds={o.Seconds:0.000} contacts_per_s={o.ContactsPerSecond:0} peak_managed_mb={o.PeakManagedMb:0.0} at_risk={o.AtRisk}"));
            return 0;
        });

        var smoke = new Command("smoke", "The benchmarks at small sizes for CI (the batch send at its acceptance size, 10,000): checks correctness and prints the figures.");
        smoke.SetAction(async (_, ct) =>
        {
            var imported = await ImportBench.RunAsync(20_000, Console.Out, ct);
            await SqliteFloor.RunAsync(20_000, Console.Out, ct);
            var taken = await IntakeBench.RunAsync(2, 8, useWrk: false, Console.Out, ct);
            var board = await DashboardBench.RunAsync(20_000, 5, Console.Out, ct);
            await ExportBench.RunAsync(20_000, Console.Out, ct);
            var delightedImport = await DelightedImportBench.RunAsync(2_000, Console.Out, ct);
            var sent = await SendBench.RunAsync(10_000, Console.Out, ct);
            var whySmall = await WhyBench.RunAsync(5_000, 20, 2, Console.Out, ct);
            var churnSmall = await ChurnBench.RunAsync(2_000, 5, Console.Out, ct);
            if (taken.Acknowledged == 0 || taken.Failed > 0)
            {
                await Console.Error.WriteLineAsync($"intake smoke: {taken.Acknowledged} acknowledged, {taken.Failed} failed");
                return 1;
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"RESULT smoke=ok import_rows={imported.Rows} import_rows_per_s={imported.RowsPerSecond:0} intake_acknowledged={taken.Acknowledged} intake_stored={taken.Stored} dashboard_median_ms={board.OursMedianMs:0.00} " +
                $"delighted_rows={delightedImport.Imported} send_contacts={sent.Contacts} send_queue_seconds={sent.QueueSeconds:0.000} send_emails_per_s={sent.EmailsPerSecond:0} " +
                $"why_median_ms={whySmall.Words.MedianMs:0.00} why_index_comments_per_s={whySmall.IndexPerSecond:0} " +
                $"churn_contacts_per_s={churnSmall.ContactsPerSecond:0} churn_peak_managed_mb={churnSmall.PeakManagedMb:0.0}"));
            return 0;
        });

        var root = new RootCommand("Promoter benchmarks.") { import, floor, intake, dashboard, export, delighted, send, why, churn, smoke };
        try
        {
            return await root.Parse(args).InvokeAsync();
        }
        catch (InvalidOperationException e)
        {
            await Console.Error.WriteLineAsync("FAILED: " + e.Message);
            Console.WriteLine("RESULT ok=false");
            return 1;
        }
    }

    private static int Print(ImportBench.Outcome o)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT rows={o.Rows} seconds={o.Seconds:0.000} rows_per_s={o.RowsPerSecond:0} checkpoint_seconds={o.CheckpointSeconds:0.000} cpu_seconds={o.CpuSeconds:0.00} duckdb_seconds={o.DuckDbSeconds:0.000} duckdb_rows_per_s={o.DuckDbRowsPerSecond:0}"));
        return 0;
    }

    private static int Print(DashboardBench.Outcome o)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT dashboard_median_ms={o.OursMedianMs:0.00} duckdb_median_ms={o.DuckDbMedianMs:0.00} ratio={o.DuckDbMedianMs / o.OursMedianMs:0.0} responses={o.Responses}"));
        return 0;
    }

    private static int Print(WhyBench.Outcome o)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT why_median_ms={o.Words.MedianMs:0.00} why_p95_ms={o.Words.P95Ms:0.00} why_first_ms={o.Words.FirstMs:0.00} why_mid_month_median_ms={o.WordsMid.MedianMs:0.00} why_language_median_ms={o.WordsLanguage.MedianMs:0.00} " +
            $"themes_median_ms={o.Themes.MedianMs:0.00} filtered_median_ms={o.Filtered.MedianMs:0.00} duckdb_median_ms={o.DuckDb.MedianMs:0.00} " +
            $"index_comments_per_s={o.IndexPerSecond:0} import_overhead_pct={o.ImportOverheadPct:0.0} intake_overhead_pct={o.IntakeOverheadPct:0.0} responses={o.Responses}"));
        return 0;
    }

    private static int Print(ExportBench.Outcome o)
    {
        var csv = o.Runs.Where(r => r.Format == "csv").ToList();
        var xlsx = o.Runs.Where(r => r.Format == "xlsx").ToList();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT rows={o.Rows} csv_rows_per_s={csv[^1].Rows / csv[^1].Seconds:0} xlsx_rows_per_s={xlsx[^1].Rows / xlsx[^1].Seconds:0} duckdb_csv_rows_per_s={o.Rows / o.DuckDbCsvSeconds:0} " +
            $"csv_peak_heap_mb_tenth={csv[0].PeakHeapMb:0.0} csv_peak_heap_mb_all={csv[^1].PeakHeapMb:0.0} xlsx_peak_heap_mb_tenth={xlsx[0].PeakHeapMb:0.0} xlsx_peak_heap_mb_all={xlsx[^1].PeakHeapMb:0.0}"));
        return 0;
    }

    private static int Print(IntakeBench.Outcome o, int concurrency)
    {
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"RESULT responses_per_s={o.PerSecond:0} acknowledged={o.Acknowledged} stored={o.Stored} failed={o.Failed} concurrency={concurrency} " +
            $"p50_ms={o.P50:0.00} p90_ms={o.P90:0.00} p99_ms={o.P99:0.00} seconds={o.Seconds:0.0}"));
        return o.Failed == 0 ? 0 : 1;
    }
}
