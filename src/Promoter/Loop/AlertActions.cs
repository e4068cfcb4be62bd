using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Promoter.Collect;
using Promoter.Data;
using Promoter.Distribution;
using Promoter.Integrations.Webhooks;
using Promoter.Platform;
using Promoter.Platform.Email;

namespace Promoter.Loop;

/// <summary>
/// Runs the workspace's alert rules on one response: matching rules queue their mails (outbox), their URL posts
/// (<see cref="AlertPost"/>) or, for digest rules, a digest entry — all as pending changes of the caller's transaction.
/// A response processed again (its comment was added later) never queues the same rule's alert twice.
/// </summary>
public sealed class AlertActions(PromoterDb db, EmailOutbox outbox, TimeProvider clock, PublicUrls urls)
{
    /// <summary>Queues the alerts of every rule the response matches; <paramref name="riskBefore"/> and <paramref name="riskAfter"/>
    /// are its contact's churn risk before and after it (null when unknown), for rules with a "risk rises above" condition.</summary>
    public async Task QueueAsync(SurveyResponse response, Contact? contact, FollowUpCase? theCase, CancellationToken ct, int? riskBefore = null, int? riskAfter = null)
    {
        var rules = await db.AlertRules.AsNoTracking().Where(r => r.Enabled).OrderBy(r => r.CreatedAt).ToListAsync(ct);
        var properties = PropertyBags.Read(response.Properties);
        // Theme conditions match the comment now, with the indexer's rule: the alert must not wait for the text index.
        var themes = rules.Any(r => r.ThemeId is not null)
            ? await Understand.ThemeIndex.ThemesOfAsync(db, response.Comment, response.Language, ct)
            : (IReadOnlySet<Guid>)new HashSet<Guid>();
        var matching = rules.Where(r => r.Matches(response.Score, response.Comment, response.SurveyId, response.TeamMember, properties, themes, riskBefore, riskAfter)).ToList();
        if (matching.Count == 0)
        {
            return;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var survey = await db.Surveys.AsNoTracking().Where(s => s.Id == response.SurveyId).Select(s => s.Name).SingleAsync(ct);
        var members = await LoopMembers.ListAsync(db, ct);
        var facts = new AlertFacts(response, contact, theCase, survey, theCase is null ? null : $"{urls.Base}/cases/{theCase.Id}",
            theCase?.OwnerUserId is { } ownerId ? members.FirstOrDefault(m => m.UserId == ownerId)?.Label : null);
        foreach (var rule in matching)
        {
            if (rule.Digest != AlertDigest.None)
            {
                if (!await db.AlertDigestItems.AnyAsync(i => i.RuleId == rule.Id && i.ResponseId == response.Id, ct))
                {
                    db.AlertDigestItems.Add(new AlertDigestItem { RuleId = rule.Id, ResponseId = response.Id, CreatedAt = now });
                }

                continue;
            }

            await QueueMailsAsync(rule, facts, members, ct);
            if (rule.WebhookUrl is { } url && !await db.AlertPosts.AnyAsync(p => p.RuleId == rule.Id && p.ResponseId == response.Id, ct))
            {
                db.AlertPosts.Add(new AlertPost
                {
                    Id = Guid.CreateVersion7(),
                    RuleId = rule.Id,
                    ResponseId = response.Id,
                    Url = url,
                    Body = AlertPayloads.For(rule, facts),
                    Status = AlertPostStatus.Pending,
                    NextAttemptAt = now,
                    CreatedAt = now,
                });
            }
        }
    }

    private async Task QueueMailsAsync(AlertRule rule, AlertFacts facts, IReadOnlyList<LoopMember> members, CancellationToken ct)
    {
        var content = AlertMail.For(rule, facts);
        foreach (var to in Recipients(rule, facts.Case, members))
        {
            var key = $"alert:{rule.Id:N}:{facts.Response.Id}:{EmailAddresses.Key(to)}";
            if (key.Length <= 128 && !await db.OutboundEmails.AnyAsync(e => e.DedupeKey == key, ct))
            {
                outbox.Enqueue(EmailKinds.Alert, to, content, relatedId: facts.Case?.Id, dedupeKey: key);
            }
        }
    }

    /// <summary>The case owner, chosen members (only while they are members) and listed addresses, each once.</summary>
    public static IReadOnlyList<string> Recipients(AlertRule rule, FollowUpCase? theCase, IReadOnlyList<LoopMember> members)
    {
        var result = new List<string>();
        void Add(string? address)
        {
            if (EmailAddresses.TryNormalize(address, out var normalized) && !result.Contains(normalized, StringComparer.OrdinalIgnoreCase))
            {
                result.Add(normalized);
            }
        }

        if (rule.EmailCaseOwner && theCase?.OwnerUserId is { } owner)
        {
            Add(members.FirstOrDefault(m => m.UserId == owner)?.Email);
        }

        foreach (var id in LoopSettings.Ids(rule.EmailUserIds))
        {
            Add(members.FirstOrDefault(m => m.UserId == id)?.Email);
        }

        foreach (var address in rule.EmailAddresses.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Add(address);
        }

        return result;
    }
}

/// <summary>Everything an alert says about a response.</summary>
public sealed record AlertFacts(SurveyResponse Response, Contact? Contact, FollowUpCase? Case, string SurveyName, string? CaseUrl, string? OwnerName)
{
    public string Category => Core.NpsCategories.Of(Response.Score).ToString().ToLowerInvariant();

    public string Who => Contact is null ? "An anonymous respondent" : Contact.Name is { Length: > 0 } name ? $"{name} <{Contact.Email}>" : Contact.Email ?? "A contact";
}

/// <summary>The body an alert rule posts: a JSON description, or Slack's <c>{"text": …}</c>.</summary>
public static class AlertPayloads
{
    public static string For(AlertRule rule, AlertFacts f)
    {
        if (rule.WebhookFormat == AlertWebhookFormat.Slack)
        {
            var text = $"*{SlackEscape(rule.Name)}*: {SlackEscape(f.Who)} gave {f.Response.Score} ({f.Category}) on {SlackEscape(f.SurveyName)}"
                       + (f.Response.Comment is { } c ? $"\n> {SlackEscape(c).Replace("\n", "\n> ", StringComparison.Ordinal)}" : "")
                       + (f.CaseUrl is { } url ? $"\n<{url}|Open the case>" : "");
            return JsonSerializer.Serialize(new { text }, WebhookJson.Options);
        }

        return JsonSerializer.Serialize(new
        {
            type = "alert",
            rule = new { id = rule.Id, name = rule.Name },
            response = new
            {
                id = f.Response.Id, surveyId = f.Response.SurveyId, survey = f.SurveyName, score = f.Response.Score, category = f.Category,
                comment = f.Response.Comment, teamMember = f.Response.TeamMember, respondedAt = f.Response.RespondedAt,
                properties = PropertyBags.Read(f.Response.Properties),
            },
            contact = f.Contact is null ? null : new { id = f.Contact.Id, email = f.Contact.Email, name = f.Contact.Name },
            @case = f.Case is null ? null : new { id = f.Case.Id, ownerUserId = f.Case.OwnerUserId, owner = f.OwnerName, dueAt = f.Case.DueAt, url = f.CaseUrl },
        }, WebhookJson.Options);
    }

    /// <summary>Slack reads &amp;, &lt; and &gt; as markup (links, mentions); everything else is literal.</summary>
    public static string SlackEscape(string text) =>
        text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);
}
