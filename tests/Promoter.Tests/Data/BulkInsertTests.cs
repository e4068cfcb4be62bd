using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Promoter.Data;
using Promoter.Platform.Email;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Data;

/// <summary>
/// <see cref="BulkInsert"/> must store a row exactly as <c>SaveChanges</c> does (same stored values, same formats on
/// SQLite), keep the workspace guard, and write all or nothing.
/// </summary>
public sealed class BulkInsertTests
{
    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Bulk_rows_are_stored_exactly_as_SaveChanges_stores_them(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider, new() { Settings = new() { ["Email:DispatchEnabled"] = "false" } });
        var ws = await server.CreateWorkspaceAsync("Bulk");
        var at = new DateTime(2026, 12, 2, 17, 4, 5, DateTimeKind.Utc).AddTicks(1234560); // PostgreSQL keeps microseconds

        await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            db.OutboundEmails.Add(Mail("tracked", at));
            await db.SaveChangesAsync();
            // 70 rows: two full statements of 32 on SQLite plus a shorter last one; one and a bit on PostgreSQL.
            await db.BulkInsertAsync(Enumerable.Range(0, 70).Select(i => Mail($"bulk-{i}", at.AddSeconds(i))).ToList(), CancellationToken.None);
            return 0;
        });

        var stored = await server.InWorkspaceAsync(ws.Id, sp => sp.GetRequiredService<PromoterDb>().OutboundEmails.AsNoTracking().ToListAsync());
        Assert.Equal(71, stored.Count);
        var tracked = stored.Single(e => e.DedupeKey == "tracked");
        var bulk = stored.Single(e => e.DedupeKey == "bulk-0");
        Assert.Equal(ws.Id, bulk.WorkspaceId); // filled in from the workspace context, as SaveChanges does
        (bulk.Id, bulk.DedupeKey) = (tracked.Id, tracked.DedupeKey);
        Assert.Equivalent(tracked, bulk, strict: true);
        Assert.Equal(at.AddSeconds(69), stored.Single(e => e.DedupeKey == "bulk-69").CreatedAt);

        // The stored values themselves (types and text), column by column, not only what EF Core reads back.
        var rows = await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var connection = sp.GetRequiredService<PromoterDb>().Database.GetDbConnection();
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT * FROM outbound_emails WHERE dedupe_key IN ('tracked', 'bulk-0') ORDER BY dedupe_key DESC";
            await using var reader = await command.ExecuteReaderAsync();
            var result = new List<Dictionary<string, object>>();
            while (await reader.ReadAsync())
            {
                result.Add(Enumerable.Range(0, reader.FieldCount).ToDictionary(reader.GetName, i => reader.GetValue(i)));
            }

            return result;
        });
        Assert.Equal(2, rows.Count);
        foreach (var (column, value) in rows[0].Where(c => c.Key is not ("id" or "dedupe_key")))
        {
            Assert.True(Equals(value, rows[1][column]), $"{column}: '{value}' ({value.GetType().Name}) saved vs '{rows[1][column]}' ({rows[1][column].GetType().Name}) bulk");
        }

        if (provider == DatabaseProvider.Sqlite)
        {
            Assert.Equal(((string)rows[0]["id"]).ToUpperInvariant(), (string)rows[0]["id"]);
            Assert.Equal(((string)rows[1]["id"]).ToUpperInvariant(), (string)rows[1]["id"]);
            Assert.Equal("2026-12-02 17:04:05.123456", rows[1]["created_at"]);
        }
    }

    [Theory]
    [MemberData(nameof(Databases.Both), MemberType = typeof(Databases))]
    public async Task Hostile_rows_are_refused_and_nothing_is_written(DatabaseProvider provider)
    {
        await using var server = await PromoterTestServer.StartAsync(provider, new() { Settings = new() { ["Email:DispatchEnabled"] = "false" } });
        var ws = await server.CreateWorkspaceAsync("Bulk");
        var other = await server.CreateWorkspaceAsync("Other");
        var at = new DateTime(2026, 12, 2, 17, 0, 0, DateTimeKind.Utc);

        await server.InWorkspaceAsync(ws.Id, async sp =>
        {
            var db = sp.GetRequiredService<PromoterDb>();
            // A row of another workspace, after valid ones: refused before anything is written.
            var foreign = Mail("foreign", at);
            foreign.WorkspaceId = other.Id;
            await Assert.ThrowsAsync<CrossWorkspaceWriteException>(() => db.BulkInsertAsync([Mail("a", at), Mail("b", at), foreign], CancellationToken.None));

            // A row without an id.
            var anonymous = Mail("no-id", at);
            anonymous.Id = Guid.Empty;
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.BulkInsertAsync([Mail("c", at), anonymous], CancellationToken.None));

            // A unique key broken in the 40th row, with no transaction of the caller's: the bulk's own is rolled back.
            var rows = Enumerable.Range(0, 50).Select(i => Mail(i == 39 ? "dup-0" : $"dup-{i}", at)).ToList();
            await Assert.ThrowsAnyAsync<DbException>(() => db.BulkInsertAsync(rows, CancellationToken.None));

            // Inside the caller's transaction, a rollback takes the bulk rows with it.
            await using (var tx = await db.Database.BeginTransactionAsync())
            {
                await db.BulkInsertAsync([Mail("in-tx", at)], CancellationToken.None);
                await tx.RollbackAsync();
            }

            return 0;
        });

        Assert.Equal(0, await server.InWorkspaceAsync(ws.Id, sp => sp.GetRequiredService<PromoterDb>().OutboundEmails.CountAsync()));
        Assert.Equal(0, await server.InWorkspaceAsync(other.Id, sp => sp.GetRequiredService<PromoterDb>().OutboundEmails.CountAsync()));
    }

    /// <summary>Every column set, with text that needs care: Arabic, an emoji, quotes, a long subject.</summary>
    private static OutboundEmail Mail(string dedupeKey, DateTime at) => new()
    {
        Id = Guid.CreateVersion7(),
        Kind = EmailKinds.Invitation,
        DedupeKey = dedupeKey,
        ToAddress = "person@example.com",
        ToName = "سارة \"O'Neil\" 🌟",
        ReplyTo = "help@example.com",
        Subject = new string('x', 900) + " ما مدى احتمال",
        HtmlBody = "<p dir=\"rtl\">مرحبا</p>",
        TextBody = "line 1\r\nline 2\ttabbed",
        Headers = "{\"X-Test\":\"1\"}",
        RelatedId = Guid.Parse("0192f0a4-5b6c-7d8e-9f01-23456789abcd"),
        Status = EmailStatus.Pending,
        Attempts = 2,
        NextAttemptAt = at,
        ExpiresAt = at.AddHours(72),
        LeaseOwner = null,
        LeaseUntil = null,
        LastAttemptAt = at.AddTicks(-1),
        LastReplyCode = 451,
        LastError = "4.7.1 try later",
        SentAt = null,
        CreatedAt = at,
    };
}
