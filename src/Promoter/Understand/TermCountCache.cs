using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace Promoter.Understand;

/// <summary>
/// Months of term counts in memory, one copy per node: for each survey and month, every term's count per category
/// and the commented responses per language and category, exactly as <c>term_rollups</c> and <c>indexed_responses</c>
/// hold them — a whole-month copy (the monthly rows) for months inside the view, and a daily copy (the daily rows) for
/// the partial months at its ends. A request reads the months' versions from <c>term_months</c> (one small query) and
/// reloads only the months whose version moved, so the copy is never older than the database at the start of the request,
/// on any node. Bounded by <see cref="UnderstandOptions.TermCacheEntries"/> (least recently used months go first).
/// </summary>
public sealed class TermCountCache(IOptions<UnderstandOptions> options, TimeProvider clock)
{
    private readonly ConcurrentDictionary<Guid, TermSlots> _slots = new();
    private readonly ConcurrentDictionary<(Guid Workspace, Guid Survey, int Month, bool Daily), MonthCounts> _months = new();
    private readonly Lock _evicting = new();
    private long _entries;

    /// <summary>The workspace's term ids as dense slots (shared by all its months), each with its language.</summary>
    public TermSlots SlotsOf(Guid workspaceId) => _slots.GetOrAdd(workspaceId, _ => new TermSlots());

    /// <summary>The cached month if it is at <paramref name="version"/>; otherwise null (load it and <see cref="Store"/> it).</summary>
    public MonthCounts? Get(Guid workspaceId, Guid surveyId, int month, bool daily, long version)
    {
        if (_months.TryGetValue((workspaceId, surveyId, month, daily), out var found) && found.Version == version)
        {
            found.LastUsed = clock.GetTimestamp();
            return found;
        }

        return null;
    }

    public void Store(Guid workspaceId, Guid surveyId, int month, bool daily, MonthCounts counts)
    {
        var limit = options.Value.TermCacheEntries;
        if (counts.Entries > limit)
        {
            return;
        }

        counts.LastUsed = clock.GetTimestamp();
        var key = (workspaceId, surveyId, month, daily);
        var replaced = _months.TryGetValue(key, out var old) ? old.Entries : 0;
        _months[key] = counts;
        if (Interlocked.Add(ref _entries, counts.Entries - replaced) <= limit)
        {
            return;
        }

        lock (_evicting)
        {
            foreach (var (k, v) in _months.OrderBy(m => m.Value.LastUsed).ToList())
            {
                if (Interlocked.Read(ref _entries) <= limit)
                {
                    break;
                }

                if (!k.Equals(key) && _months.TryRemove(new KeyValuePair<(Guid, Guid, int, bool), MonthCounts>(k, v)))
                {
                    Interlocked.Add(ref _entries, -v.Entries);
                }
            }
        }
    }

    /// <summary>Term entries held (for tests and diagnostics).</summary>
    public long Entries => Interlocked.Read(ref _entries);
}

/// <summary>
/// One month of one survey: <c>Slots[e]</c> is a term's slot in <see cref="TermSlots"/>, <c>Counts[3e..3e+2]</c> its
/// detractor, passive and promoter counts, and in a daily copy <c>Days[e]</c> its local day (a whole-month copy has no
/// days); <c>Responses</c> the commented responses per (day, language) and category (day null in a whole-month copy).
/// </summary>
public sealed class MonthCounts(long version, int[] slots, int[] counts, int[]? days, Dictionary<(int? Day, string Language), long[]> responses)
{
    public long Version { get; } = version;
    public int[] Slots { get; } = slots;
    public int[] Counts { get; } = counts;
    public int[]? Days { get; } = days;
    public IReadOnlyDictionary<(int? Day, string Language), long[]> Responses { get; } = responses;
    public long Entries => Slots.Length;
    internal long LastUsed { get; set; }
}

/// <summary>
/// Dense numbers for a workspace's term ids, so that counts add up in plain arrays instead of dictionaries. Slots are
/// only ever added; readers take <see cref="Snapshot"/>, whose arrays never change below its count.
/// </summary>
public sealed class TermSlots
{
    private readonly Dictionary<long, int> _byId = [];
    private readonly Dictionary<string, byte> _languageCodes = new(StringComparer.Ordinal);
    private readonly List<string> _languages = [];
    private long[] _ids = new long[1024];
    private byte[] _languageOf = new byte[1024];
    private int _count;
    private readonly Lock _lock = new();

    public int SlotOf(long termId, string language)
    {
        lock (_lock)
        {
            ref var slot = ref CollectionsMarshal.GetValueRefOrAddDefault(_byId, termId, out var exists);
            if (exists)
            {
                return slot;
            }

            if (!_languageCodes.TryGetValue(language, out var code))
            {
                code = (byte)_languages.Count;
                _languageCodes[language] = code;
                _languages.Add(language);
            }

            if (_count == _ids.Length)
            {
                Array.Resize(ref _ids, _count * 2);
                Array.Resize(ref _languageOf, _count * 2);
            }

            _ids[_count] = termId;
            _languageOf[_count] = code;
            slot = _count++;
            return slot;
        }
    }

    public TermSlotsSnapshot Snapshot()
    {
        lock (_lock)
        {
            return new TermSlotsSnapshot(_ids, _languageOf, _count, [.. _languages]);
        }
    }
}

public sealed record TermSlotsSnapshot(long[] Ids, byte[] LanguageOf, int Count, IReadOnlyList<string> Languages)
{
    /// <summary>The code of <paramref name="language"/>, or -1 when no term of it was seen (a filter then matches nothing).</summary>
    public int CodeOf(string language)
    {
        for (var i = 0; i < Languages.Count; i++)
        {
            if (Languages[i] == language)
            {
                return i;
            }
        }

        return -1;
    }
}
