using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Promoter.Accounts;
using Promoter.Core.Text;
using Promoter.Data;
using Promoter.Metrics;
using Promoter.Platform;

namespace Promoter.Understand;

/// <summary>What a user sends for a theme: a name and, per pipeline language, its words and phrases.</summary>
public sealed record ThemeInput(string? Name, Dictionary<string, List<string>>? Terms);

/// <summary>
/// Creating, editing and deleting themes: the one save path for the API and the pages. Validates every term through
/// the text pipeline (a phrase with no content word, or more than three, is refused naming it), and in the same
/// transaction starts the re-tagging job that gives past responses their themes (superseding an unfinished one).
/// </summary>
public sealed class ThemeEditor(PromoterDb db, IOptions<DatabaseOptions> database, AuditLog audit, TimeProvider clock)
{
    public const int MaxPhraseLength = 200;

    public async Task<Theme> CreateAsync(ThemeInput input, CancellationToken ct)
    {
        var (name, terms) = await ValidateAsync(input, null, ct);
        if (await db.Themes.CountAsync(ct) >= Theme.MaxPerWorkspace)
        {
            throw RequestValidationException.For("name", $"A workspace has at most {Theme.MaxPerWorkspace} themes.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var theme = new Theme { Id = Guid.NewGuid(), Name = name, CreatedAt = now, UpdatedAt = now };
        theme.Terms.AddRange(terms.Select(t => Clone(t, theme.Id)));
        await SaveAsync(() =>
        {
            db.Themes.Add(theme);
            audit.Record("theme.created", $"theme:{theme.Id}", name);
            return Task.CompletedTask;
        }, ct);
        return theme;
    }

    public async Task<Theme> UpdateAsync(Guid id, ThemeInput input, CancellationToken ct)
    {
        var theme = await db.Themes.Include(t => t.Terms).FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("theme");
        var (name, terms) = await ValidateAsync(input, id, ct);
        await SaveAsync(async () =>
        {
            theme.Name = name;
            theme.UpdatedAt = clock.GetUtcNow().UtcDateTime;
            db.ThemeTerms.RemoveRange(theme.Terms);
            await db.SaveChangesAsync(ct);
            theme.Terms.Clear();
            theme.Terms.AddRange(terms.Select(t => Clone(t, theme.Id)));
            audit.Record("theme.updated", $"theme:{theme.Id}", name);
        }, ct);
        return theme;
    }

    /// <summary>Deletes the theme, its tags and its counts at once (no job: other themes are unchanged).</summary>
    public async Task DeleteAsync(Guid id, CancellationToken ct)
    {
        var theme = await db.Themes.FirstOrDefaultAsync(t => t.Id == id, ct) ?? throw new NotFoundException("theme");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await TextIndexer.LockAsync(db, database.Value.Provider, ct);
        var value = ThemeIndex.Value(id);
        await db.Rollups.Where(r => (r.Dim == Rollup.Theme || r.Dim == Rollup.MonthlyPrefix + Rollup.Theme) && r.Value == value).ExecuteDeleteAsync(ct);
        await db.ResponseThemes.Where(r => r.ThemeId == id).ExecuteDeleteAsync(ct);
        db.Themes.Remove(theme);
        audit.Record("theme.deleted", $"theme:{id}", theme.Name);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static ThemeTerm Clone(ThemeTerm t, Guid themeId) => new() { ThemeId = themeId, Language = t.Language, Key = t.Key, Phrase = t.Phrase };

    private async Task SaveAsync(Func<Task> change, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await TextIndexer.LockAsync(db, database.Value.Provider, ct);
        await change();
        var now = clock.GetUtcNow().UtcDateTime;
        await db.ThemeJobs.Where(j => j.Status == ThemeJobStatus.Pending || j.Status == ThemeJobStatus.Running)
            .ExecuteUpdateAsync(s => s.SetProperty(j => j.Status, ThemeJobStatus.Superseded).SetProperty(j => j.FinishedAt, now), ct);
        db.ThemeJobs.Add(new ThemeJob
        {
            Id = Guid.NewGuid(),
            Status = ThemeJobStatus.Pending,
            Total = await db.IndexedResponses.LongCountAsync(ct),
            CreatedAt = now,
        });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // The only unique rule a theme save can break (another request took the name since the check above).
            throw RequestValidationException.For("name", "Another theme has this name.");
        }

        await tx.CommitAsync(ct);
    }

    private async Task<(string Name, List<ThemeTerm> Terms)> ValidateAsync(ThemeInput input, Guid? id, CancellationToken ct)
    {
        var errors = new FieldErrors();
        var name = TextInput.Clean(input.Name, multiline: false)?.Trim() ?? "";
        if (name.Length == 0)
        {
            errors.Add("name", "Give the theme a name.");
        }
        else if (name.Length > Theme.MaxNameLength)
        {
            errors.Add("name", $"Use at most {Theme.MaxNameLength} characters.");
        }
        else if (await db.Themes.AnyAsync(t => t.Name == name && t.Id != id, ct))
        {
            errors.Add("name", "Another theme has this name.");
        }

        var terms = new List<ThemeTerm>();
        var total = input.Terms?.Sum(t => t.Value?.Count ?? 0) ?? 0;
        if (total == 0)
        {
            errors.Add("terms", "Give at least one word or phrase, e.g. {\"en\": [\"delivery\", \"late\"]}.");
        }
        else if (total > Theme.MaxTerms)
        {
            errors.Add("terms", $"A theme has at most {Theme.MaxTerms} words and phrases; this one has {total}.");
        }
        else
        {
            foreach (var (language, phrases) in input.Terms!)
            {
                if (!TextLanguages.Supported.Contains(language))
                {
                    errors.Add($"terms.{Truncate(language)}", $"Use one of the languages {string.Join(", ", TextLanguages.Supported)}.");
                    continue;
                }

                var keys = new HashSet<string>(StringComparer.Ordinal);
                for (var i = 0; i < (phrases?.Count ?? 0); i++)
                {
                    var field = $"terms.{language}[{i}]";
                    var phrase = TextInput.Clean(phrases![i], multiline: false)?.Trim() ?? "";
                    if (phrase.Length is 0 or > MaxPhraseLength)
                    {
                        errors.Add(field, $"Use 1 to {MaxPhraseLength} characters.");
                    }
                    else if (!TextAnalyzer.Shared.TryKey(phrase, language, out var key, out var error))
                    {
                        errors.Add(field, $"'{Truncate(phrase)}': {error}");
                    }
                    else if (keys.Add(key))
                    {
                        terms.Add(new ThemeTerm { Language = language, Key = key, Phrase = phrase });
                    }
                }
            }
        }

        errors.ThrowIfAny();
        return (name, terms);
    }

    private static string Truncate(string text) => text.Length > 40 ? text[..40] + "…" : text;
}
