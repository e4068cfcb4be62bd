using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Integrations.Webhooks;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter.Loop;

/// <summary>
/// For rules that prefer digests: every hour or day (counted from the last digest, or from the rule's creation) the
/// responses collected since go out as one mail per recipient and one post, and the collected entries are deleted in the
/// same transaction. No entries, no digest.
/// </summary>
public sealed class DigestSender(IServiceScopeFactory scopes, TimeProvider clock)
{
    public const int MaxListed = 200;

    public static TimeSpan PeriodOf(AlertDigest digest) => digest == AlertDigest.Hourly ? TimeSpan.FromHours(1) : TimeSpan.FromDays(1);

    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        List<AlertRule> rules;
        await using (var scope = scopes.CreateAsyncScope())
        {
            rules = await CrossWorkspaceQueries.DigestRules(scope.ServiceProvider.GetRequiredService<PromoterDb>()).AsNoTracking().ToListAsync(ct);
        }

        var sent = 0;
        foreach (var rule in rules.Where(r => now >= (r.LastDigestAt ?? r.CreatedAt) + PeriodOf(r.Digest)))
        {
            await using var scope = scopes.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(rule.WorkspaceId);
            if (await SendAsync(scope.ServiceProvider, rule.Id, now, ct))
            {
                sent++;
            }
        }

        return sent;
    }

    private static async Task<bool> SendAsync(IServiceProvider services, Guid ruleId, DateTime now, CancellationToken ct)
    {
        var db = services.GetRequiredService<PromoterDb>();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var rule = await db.AlertRules.SingleAsync(r => r.Id == ruleId, ct);
        var items = await db.AlertDigestItems.Where(i => i.RuleId == ruleId).OrderBy(i => i.Id).ToListAsync(ct);
        if (items.Count == 0)
        {
            return false;
        }

        var ids = items.Select(i => i.ResponseId).ToList();
        var responses = await (from r in db.Responses.AsNoTracking()
                               where ids.Contains(r.Id)
                               join s in db.Surveys.AsNoTracking() on r.SurveyId equals s.Id
                               join c in db.Contacts.AsNoTracking() on r.ContactId equals c.Id into contacts
                               from c in contacts.DefaultIfEmpty()
                               orderby r.RespondedAt
                               select new { r.Id, r.Score, r.Comment, r.RespondedAt, Survey = s.Name, Email = c == null ? null : c.Email }).Take(MaxListed).ToListAsync(ct);
        var baseUrl = services.GetRequiredService<PublicUrls>().Base;
        var period = rule.Digest == AlertDigest.Hourly ? "hour" : "day";
        var subject = EmailHeaders.Flatten($"{rule.Name}: {items.Count} response(s) in the last {period}");
        var text = new StringBuilder().Append(items.Count).Append(" response(s) matched ").Append(rule.Name).Append(":\n\n");
        var html = new StringBuilder().Append("<p>").Append(items.Count).Append(" response(s) matched <strong>").Append(AlertMail.E(rule.Name)).Append("</strong>:</p><ul>");
        foreach (var r in responses)
        {
            var who = r.Email ?? "anonymous";
            text.Append("- ").Append(r.Score).Append(" from ").Append(who).Append(" on ").Append(r.Survey)
                .Append(r.Comment is { } c ? ": " + c.ReplaceLineEndings(" ") : "").Append('\n');
            html.Append("<li><strong>").Append(r.Score).Append("</strong> from ").Append(AlertMail.E(who)).Append(" on ").Append(AlertMail.E(r.Survey))
                .Append(r.Comment is { } said ? ": <bdi>" + AlertMail.E(said) + "</bdi>" : "").Append("</li>");
        }

        html.Append("</ul><p><a href=\"").Append(AlertMail.E(baseUrl + "/cases")).Append("\">Open the inbox</a></p>");
        var content = new EmailContent(subject.Length > EmailHeaders.MaxSubject ? subject[..EmailHeaders.MaxSubject] : subject, html.ToString(), text.ToString());
        var members = await LoopMembers.ListAsync(db, ct);
        var outbox = services.GetRequiredService<EmailOutbox>();
        foreach (var to in AlertActions.Recipients(rule, null, members))
        {
            var key = $"digest:{rule.Id:N}:{now.Ticks}:{EmailAddresses.Key(to)}";
            outbox.Enqueue(EmailKinds.Digest, to, content, dedupeKey: key.Length <= 128 ? key : null);
        }

        if (rule.WebhookUrl is { } url)
        {
            var body = rule.WebhookFormat == AlertWebhookFormat.Slack
                ? JsonSerializer.Serialize(new { text = AlertPayloads.SlackEscape(text.ToString()) }, WebhookJson.Options)
                : JsonSerializer.Serialize(new { type = "digest", rule = new { id = rule.Id, name = rule.Name }, count = items.Count, responses }, WebhookJson.Options);
            db.AlertPosts.Add(new AlertPost
            {
                Id = Guid.CreateVersion7(), RuleId = rule.Id, Url = url, Body = body, Status = AlertPostStatus.Pending, NextAttemptAt = now, CreatedAt = now,
            });
        }

        db.AlertDigestItems.RemoveRange(items);
        rule.LastDigestAt = now;
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        // SaveChanges woke the mail dispatcher before the commit; wake it again now that the mail is visible.
        services.GetRequiredService<EmailSignal>().Notify();
        return true;
    }
}
