using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Promoter.Core.Text;
using Promoter.Data;

namespace Promoter.Understand;

/// <summary>A workspace's theme terms by language and key: which themes a response's terms give it.</summary>
public sealed class ThemeIndex
{
    private readonly Dictionary<(string Language, string Key), List<Guid>> _themes = [];

    public int Count => _themes.Count;

    /// <summary>The rollup value of a theme: its id in lower-case "D" form on both providers.</summary>
    public static string Value(Guid themeId) => themeId.ToString("D");

    public void Add(Guid themeId, string language, string key) =>
        (System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_themes, (language, key), out _) ??= []).Add(themeId);

    public void Match(string language, string key, HashSet<Guid> into)
    {
        if (_themes.TryGetValue((language, key), out var themes))
        {
            into.UnionWith(themes);
        }
    }

    public static async Task<ThemeIndex> ReadAsync(DbConnection connection, DbTransaction transaction, DatabaseProvider provider, Guid workspaceId, CancellationToken ct)
    {
        var index = new ThemeIndex();
        await using var read = TextIndexer.Command(connection, transaction,
            "SELECT tt.theme_id, tt.language, tt.key FROM theme_terms tt JOIN themes t ON t.id = tt.theme_id WHERE t.workspace_id = @ws");
        read.Add("@ws", SqlValues.Id(provider, workspaceId));
        await using var reader = await read.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            index.Add(TextIndexer.ReadGuid(reader.GetValue(0)), reader.GetString(1), reader.GetString(2));
        }

        return index;
    }

    /// <summary>The workspace's themes a comment has, by the indexer's rule (its terms in its pipeline language).</summary>
    public static async Task<IReadOnlySet<Guid>> ThemesOfAsync(PromoterDb db, string? comment, string responseLanguage, CancellationToken ct)
    {
        var found = new HashSet<Guid>();
        if (string.IsNullOrWhiteSpace(comment))
        {
            return found;
        }

        var language = TextLanguages.Resolve(responseLanguage, comment);
        var index = new ThemeIndex();
        foreach (var t in await db.ThemeTerms.AsNoTracking().Where(t => t.Language == language && db.Themes.Any(th => th.Id == t.ThemeId)).ToListAsync(ct))
        {
            index.Add(t.ThemeId, t.Language, t.Key);
        }

        foreach (var term in TextAnalyzer.Shared.Terms(comment, language))
        {
            index.Match(language, term.Key, found);
        }

        return found;
    }
}
