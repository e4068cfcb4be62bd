using Microsoft.EntityFrameworkCore;
using Promoter.Accounts;
using Promoter.Data;
using Promoter.Integrations.Webhooks;

namespace Promoter.Loop;

/// <summary>
/// Sends due alert posts through the webhooks' <see cref="WebhookSender"/> (SSRF guard, no redirects, hard timeout),
/// checking the URL's scheme again at send time; retries after 1, 5, 30 and 120 minutes, then gives up.
/// </summary>
public sealed class AlertPoster(IServiceScopeFactory scopes, WebhookSender sender, WebhookUrls urls, TimeProvider clock)
{
    private static readonly TimeSpan[] s_retries = [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2)];

    public async Task<int> SendDueAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
        var now = clock.GetUtcNow().UtcDateTime;
        var due = await CrossWorkspaceQueries.DueAlertPosts(db, now).AsNoTracking().OrderBy(p => p.NextAttemptAt).Take(50).ToListAsync(ct);
        foreach (var post in due)
        {
            var outcome = Uri.TryCreate(post.Url, UriKind.Absolute, out var uri) && urls.SchemeRefusal(uri) is null
                ? await sender.SendAsync(uri, post.Body, [], ct)
                : new SendOutcome(null, "The URL is no longer allowed.", null, TimeSpan.Zero, null);
            post.Attempts++;
            post.LastStatusCode = outcome.StatusCode;
            post.LastError = outcome.Error is { } error && error.Length > 1000 ? error[..1000] : outcome.Error;
            if (outcome.Succeeded)
            {
                post.Status = AlertPostStatus.Sent;
                post.SentAt = clock.GetUtcNow().UtcDateTime;
            }
            else if (post.Attempts >= AlertPost.MaxAttempts || outcome.StatusCode is >= 400 and < 500 and not 408 and not 429)
            {
                post.Status = AlertPostStatus.Failed;
            }
            else
            {
                post.NextAttemptAt = clock.GetUtcNow().UtcDateTime + s_retries[Math.Min(post.Attempts - 1, s_retries.Length - 1)];
            }
        }

        // Posts from several workspaces are saved by a scope bound to none: the guard needs each row's own workspace.
        foreach (var group in due.GroupBy(p => p.WorkspaceId))
        {
            await using var workspaceScope = scopes.CreateAsyncScope();
            workspaceScope.ServiceProvider.GetRequiredService<WorkspaceContext>().Enter(group.Key);
            var wdb = workspaceScope.ServiceProvider.GetRequiredService<PromoterDb>();
            foreach (var post in group)
            {
                wdb.AlertPosts.Attach(post);
                wdb.Entry(post).State = EntityState.Modified;
            }

            await wdb.SaveChangesAsync(ct);
        }

        return due.Count;
    }
}
