using System.Security.Claims;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Distribution.Contacts;
using Promoter.Platform;

namespace Promoter.Churn;

/// <summary>Which at-risk contacts a list is about. Parsed from <c>?min=&amp;account=&amp;owner=&amp;category=&amp;filter.&lt;property&gt;=</c>.</summary>
public sealed record AtRiskFilter
{
    public int Min { get; init; } = 1;
    public string? Account { get; init; }

    /// <summary>Owner of the contact's latest case.</summary>
    public Guid? OwnerUserId { get; init; }

    public string? Category { get; init; }

    /// <summary>Contact properties that must equal the given values.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Properties { get; init; } = [];

    public static readonly string[] Categories = ["detractor", "passive", "promoter", "non_respondent"];

    public static AtRiskFilter Parse(IQueryCollection query, Guid? me, FieldErrors errors)
    {
        var filter = new AtRiskFilter();
        if (query.TryGetValue("min", out var min) && min.Count > 0)
        {
            if (int.TryParse(min[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var m) && m is >= 0 and <= 100)
            {
                filter = filter with { Min = m };
            }
            else
            {
                errors.Add("min", "A whole number from 0 to 100.");
            }
        }

        if (query.TryGetValue("account", out var account) && !string.IsNullOrWhiteSpace(account[0]))
        {
            filter = filter with { Account = TextInput.Line(account[0], "account", ChurnEvent.MaxAccountLength, errors) };
        }

        if (query.TryGetValue("owner", out var owner) && !string.IsNullOrWhiteSpace(owner[0]))
        {
            if (owner[0] == "me" && me is not null)
            {
                filter = filter with { OwnerUserId = me };
            }
            else if (Guid.TryParse(owner[0], out var id))
            {
                filter = filter with { OwnerUserId = id };
            }
            else
            {
                errors.Add("owner", "A user id, or \"me\".");
            }
        }

        if (query.TryGetValue("category", out var category) && !string.IsNullOrWhiteSpace(category[0]))
        {
            if (Categories.Contains(category[0], StringComparer.Ordinal))
            {
                filter = filter with { Category = category[0] };
            }
            else
            {
                errors.Add("category", "One of detractor, passive, promoter, non_respondent.");
            }
        }

        var properties = new List<KeyValuePair<string, string>>();
        foreach (var (key, values) in query)
        {
            if (!key.StartsWith("filter.", StringComparison.Ordinal))
            {
                continue;
            }

            var name = key["filter.".Length..];
            if (!TextInput.IsPropertyKey(name))
            {
                errors.Add(key, "A property name: letters, digits, '_', '.' or '-'.");
                continue;
            }

            if (TextInput.Line(values[0], key, TextInput.MaxPropertyValueCharacters, errors) is { } value)
            {
                properties.Add(KeyValuePair.Create(name, value));
            }
        }

        // The page's single "property=name:value" box, in the contacts list's format.
        if (query.TryGetValue("property", out var pair) && !string.IsNullOrWhiteSpace(pair[0]))
        {
            var colon = pair[0]!.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? "" : pair[0]![..colon].Trim();
            if (!TextInput.IsPropertyKey(name))
            {
                errors.Add("property", "Use name:value, e.g. plan:gold.");
            }
            else if (TextInput.Line(pair[0]![(colon + 1)..].Trim(), "property", TextInput.MaxPropertyValueCharacters, errors) is { } value)
            {
                properties.Add(KeyValuePair.Create(name, value));
            }
        }

        if (properties.Count > 10)
        {
            errors.Add("filter", "At most 10 property filters.");
        }

        return filter with { Properties = properties };
    }
}

/// <summary>A row of the at-risk list.</summary>
public sealed record AtRiskContactDto(Guid Id, string? Email, string? Name, string? Account, Guid? OwnerUserId, RiskDto Risk);

public sealed record AtRiskListDto(IReadOnlyList<AtRiskContactDto> Items, string? NextCursor);

/// <summary>
/// Reading risk: the at-risk list (highest score first, keyset-paged by the last contact's id through <see cref="PageCursor"/>),
/// a contact's risk and its history. Agents see the risk of the contacts they work on: those whose latest case is theirs,
/// or who have an unassigned case (the case inbox's rule, <see cref="Loop.CaseViewer"/>); everyone else sees all.
/// </summary>
public sealed class AtRiskQueries(PromoterDb db)
{
    public const int DefaultPage = 50;
    public const int MaxPage = 500;
    public const char CursorKind = 'k';

    public IQueryable<ContactRisk> Visible(ClaimsPrincipal user)
    {
        var query = db.ContactRisks.AsNoTracking();
        if (user.RoleOf() == Role.Agent)
        {
            var me = user.UserIdOf();
            query = query.Where(r => r.OwnerUserId == me || r.HasUnassignedCase);
        }

        return query;
    }

    public IQueryable<ContactRisk> Filtered(ClaimsPrincipal user, AtRiskFilter filter)
    {
        var query = Visible(user).Where(r => r.Score >= filter.Min);
        if (filter.Account is { } account)
        {
            query = query.Where(r => r.Account == account);
        }

        if (filter.OwnerUserId is { } owner)
        {
            query = query.Where(r => r.OwnerUserId == owner);
        }

        if (filter.Category is { } category)
        {
            query = query.Where(r => r.Category == category);
        }

        foreach (var (key, value) in filter.Properties)
        {
            var needle = new ContactFilter { PropertyKey = key, PropertyValue = value }.PropertyNeedle!;
            query = query.Where(r => db.Contacts.Any(c => c.Id == r.ContactId && c.Properties.Contains(needle)));
        }

        return query;
    }

    public async Task<AtRiskListDto> PageAsync(ClaimsPrincipal user, AtRiskFilter filter, string? cursor, int? limit, CancellationToken ct)
    {
        var errors = new FieldErrors();
        Guid? after = null;
        if (cursor is not null && (after = PageCursor.Read(CursorKind, cursor)) is null)
        {
            errors.Add("cursor", "Use the nextCursor value of a previous page.");
        }

        if (limit is < 1 or > MaxPage)
        {
            errors.Add("limit", $"Use 1 to {MaxPage}.");
        }

        errors.ThrowIfAny();
        var take = limit ?? DefaultPage;
        var query = Filtered(user, filter);
        if (after is { } last)
        {
            // Keyset on (score desc, contact id desc), the last row's score read from its own risk row.
            var lastScore = await db.ContactRisks.Where(r => r.ContactId == last).Select(r => (int?)r.Score).SingleOrDefaultAsync(ct) ?? -1;
            query = query.Where(r => r.Score < lastScore || (r.Score == lastScore && r.ContactId < last));
        }

        var rows = await Sorted(query, "score").Take(take + 1).ToListAsync(ct);
        var page = rows.Take(take).Select(ToDto).ToList();
        return new AtRiskListDto(page, rows.Count > take ? PageCursor.Write(CursorKind, page[^1].Id) : null);
    }

    /// <summary>Every matching row in the page's order, for the CSV export (streamed).</summary>
    public IAsyncEnumerable<AtRiskContactDto> AllAsync(ClaimsPrincipal user, AtRiskFilter filter, string? sort) =>
        Sorted(Filtered(user, filter), sort).AsAsyncEnumerable().Select(ToDto);

    public async Task<List<AtRiskContactDto>> TopAsync(ClaimsPrincipal user, AtRiskFilter filter, string? sort, int take, CancellationToken ct) =>
        (await Sorted(Filtered(user, filter), sort).Take(take).ToListAsync(ct)).Select(ToDto).ToList();

    /// <summary>The sorts of the at-risk page: "score" (default), "changed" (latest change first), "name".</summary>
    private IQueryable<Row> Sorted(IQueryable<ContactRisk> risks, string? sort)
    {
        // Ordered on the joined pair, then projected: EF translates ordering on entity members, not on a record's constructor.
        var joined = risks.Join(db.Contacts, r => r.ContactId, c => c.Id, (r, c) => new { r, c });
        var ordered = sort switch
        {
            "changed" => joined.OrderByDescending(x => x.r.ChangedAt).ThenByDescending(x => x.r.ContactId),
            "name" => joined.OrderBy(x => x.c.Name ?? x.c.Email).ThenBy(x => x.r.ContactId),
            _ => joined.OrderByDescending(x => x.r.Score).ThenByDescending(x => x.r.ContactId),
        };
        return ordered.Select(x => new Row(x.r, x.c.Email, x.c.Name));
    }

    /// <summary>The risk of one contact the user may see, or null.</summary>
    public Task<ContactRisk?> RiskOfAsync(ClaimsPrincipal user, Guid contactId, CancellationToken ct) =>
        Visible(user).SingleOrDefaultAsync(r => r.ContactId == contactId, ct);

    public async Task<IReadOnlyList<RiskHistoryDto>> HistoryAsync(Guid contactId, int take, CancellationToken ct) =>
        await db.ContactRiskHistory.AsNoTracking().Where(h => h.ContactId == contactId).OrderByDescending(h => h.At).ThenByDescending(h => h.Id).Take(take)
            .Select(h => new RiskHistoryDto(h.At, h.Score, h.ModelKind, h.Action)).ToListAsync(ct);

    public sealed record Row(ContactRisk Risk, string? Email, string? Name);

    private static AtRiskContactDto ToDto(Row row) =>
        new(row.Risk.ContactId, row.Email, row.Name, row.Risk.Account, row.Risk.OwnerUserId, RiskDto.From(row.Risk));
}
