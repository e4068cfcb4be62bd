using System.Diagnostics;
using System.Net;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Platform;

/// <summary>The README's run command on a fresh directory: the real executable, no configuration at all.</summary>
public sealed class FirstRunTests
{
    [Fact]
    public async Task Serve_on_a_fresh_directory_creates_promoter_db_is_ready_and_shows_the_setup_page()
    {
        var directory = Directory.CreateTempSubdirectory("promoter-first-run-").FullName;
        var port = PostgresCluster.FreePort();
        var info = PromoterProcess.StartInfo(["serve", "--urls", $"http://127.0.0.1:{port}"], directory);
        info.Environment.Remove("Database__Provider");
        info.Environment.Remove("Database__ConnectionString");
        using var process = Process.Start(info)!;
        try
        {
            using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            var ready = await WaitForAsync(client, "/readyz", TimeSpan.FromSeconds(60));
            Assert.Equal(HttpStatusCode.OK, ready);
            Assert.True(File.Exists(Path.Combine(directory, "promoter.db")), "promoter.db was not created in the working directory");

            var home = await client.GetAsync("/");
            Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
            var login = await client.GetAsync(home.Headers.Location);
            Assert.Equal(HttpStatusCode.Redirect, login.StatusCode);
            Assert.Equal("/setup", login.Headers.Location?.OriginalString);
            var setup = await client.GetStringAsync("/setup");
            Assert.Contains("Create workspace", setup, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Directory.Delete(directory, recursive: true);
        }
    }

    internal static async Task<HttpStatusCode?> WaitForAsync(HttpClient client, string path, TimeSpan timeout)
    {
        var until = Stopwatch.StartNew();
        while (until.Elapsed < timeout)
        {
            try
            {
                return (await client.GetAsync(path)).StatusCode;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(200);
            }
        }

        return null;
    }
}
