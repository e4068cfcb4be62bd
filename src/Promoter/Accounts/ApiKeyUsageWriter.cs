using Microsoft.EntityFrameworkCore;
using Promoter.Data;

namespace Promoter.Accounts;

/// <summary>Writes API key "last used" times in the background, batched, off the request path.</summary>
internal sealed class ApiKeyUsageWriter(ApiKeyUsage usage, IServiceScopeFactory scopes, TimeProvider clock, ILogger<ApiKeyUsageWriter> log) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30), clock);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await FlushAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning(ex, "Could not record API key usage");
            }
        }
    }

    public async Task FlushAsync(CancellationToken ct)
    {
        var drained = usage.Drain();
        if (drained.Count == 0)
        {
            return;
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<PromoterDb>();
        foreach (var (id, at) in drained)
        {
            await CrossWorkspaceQueries.ApiKeyById(db, id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedAt, at), ct);
        }
    }
}
