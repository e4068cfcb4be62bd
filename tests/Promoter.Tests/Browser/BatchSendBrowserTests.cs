using Microsoft.EntityFrameworkCore;
using System.Net.Http.Json;
using Microsoft.Playwright;
using Promoter.Data;
using Promoter.Distribution.Batches;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Browser;

/// <summary>A manager starts a batch send from the dashboard, watches it and cancels it; all with plain form posts.</summary>
[Collection(BrowserTests.Name)]
[Trait("Category", "Browser")]
public sealed class BatchSendBrowserTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_manager_starts_a_batch_send_and_cancels_it_before_its_mail_leaves()
    {
        await using var server = await PromoterTestServer.StartAsync(DatabaseProvider.Sqlite, new()
        {
            Settings = new()
            {
                ["BatchSends:Enabled"] = "false", // chunks are run below, one at a time
                ["BatchSends:ChunkSize"] = "10",
                ["Email:DispatchEnabled"] = "false",
                ["Distribution:RecurringEnabled"] = "false",
            },
        });
        var ws = await server.CreateWorkspaceAsync("Batch");
        using var api = server.CreateApiClient(ws.ApiKey);
        await Accounts.TenantFixtures.CreateAsync(api, "/api/v1/surveys", new { name = "Quarterly", brandName = "Northwind" });
        for (var i = 0; i < 30; i++)
        {
            (await api.PostAsJsonAsync("/api/v1/contacts", new { email = $"person{i:D2}@example.com", name = $"Person {i}" })).EnsureSuccessStatusCode();
        }

        await using var context = await browser.Browser.NewContextAsync(new() { BaseURL = server.BaseAddress.ToString(), JavaScriptEnabled = false });
        var page = await context.NewPageAsync();
        await SurveyEditorBrowserTests.SignInAsync(page, ws.OwnerEmail, ws.OwnerPassword);
        await page.GotoAsync("/sends/new");
        await page.GetByLabel("Survey").SelectOptionAsync(new SelectOptionValue { Label = "Quarterly" });
        await page.GetByLabel("Name of this send (optional)").FillAsync("Spring check-in");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send to 30 contact(s)" }).ClickAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Spring check-in");
        await Assertions.Expect(page.Locator("#batch-status")).ToHaveTextAsync("Waiting to start");
        var id = Guid.Parse(page.Url.Split('/')[^1]);

        // One chunk is invited, then the send pauses between chunks.
        var runner = server.Services.GetRequiredService<BatchSendRunner>();
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            runner.RunToEndAsync(id, ws.Id, _ => throw new InvalidOperationException("pause"), CancellationToken.None));
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-count=queued]")).ToHaveTextAsync("10");

        await page.GetByRole(AriaRole.Button, new() { Name = "Cancel this send" }).ClickAsync();
        await Assertions.Expect(page.Locator("#batch-status")).ToHaveTextAsync("Cancelled");
        await Assertions.Expect(page.Locator("#batch-invitations")).ToContainTextAsync("cancelled");
        await Assertions.Expect(page.Locator("#batch-cancel")).ToHaveCountAsync(0);
        Assert.Equal(BatchJobStatus.Cancelled, await runner.RunToEndAsync(id, ws.Id, null, CancellationToken.None));
        Assert.Equal(10, await server.InWorkspaceAsync(ws.Id, sp => sp.GetRequiredService<PromoterDb>().Invitations.CountAsync(i => i.SendId == id)));
    }
}
