using Promoter.Collect;

namespace Promoter.Integrations.Delighted.Import;

/// <summary>
/// Delighted's survey response export, imported through the ordinary response importer (one transaction, rollups,
/// no webhooks): only the column mapping, the contact and property rules and the per-response key differ.
/// </summary>
/// <param name="zone">How to read times written without an offset (default UTC).</param>
public sealed class DelightedImportFormat(TimeZoneInfo? zone = null) : ImportFormat
{
    public override string KeyPrefix => DelightedRowReader.KeyPrefix;

    internal override IImportRowReader CreateReader(IReadOnlyList<string> header, ImportReaderContext context) =>
        new DelightedRowReader(DelightedColumns.From(header), context, new DelightedTimes(zone ?? TimeZoneInfo.Utc, context.Now));
}
