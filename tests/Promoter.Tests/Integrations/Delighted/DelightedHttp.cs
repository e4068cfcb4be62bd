using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Promoter.Tests.Infrastructure;

namespace Promoter.Tests.Integrations.Delighted;

/// <summary>Raw HTTP to <c>/v1</c>, for what the official client hides: status codes, headers, exact bodies.</summary>
public static class DelightedHttp
{
    /// <summary>A client authenticating as Delighted's node and ruby clients do: Basic base64("KEY:").</summary>
    public static HttpClient Client(PromoterTestServer server, string key, bool colon = true)
    {
        var client = server.CreateClient(new HttpClientHandler { AllowAutoRedirect = false });
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(colon ? key + ":" : key)));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    public static async Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> SendAsync(HttpClient client, HttpMethod method, string path, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        return ((int)response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text), response);
    }

    public static Task<(int Status, JsonNode? Body, HttpResponseMessage Response)> PostAsync(HttpClient client, string path, object body) =>
        SendAsync(client, HttpMethod.Post, path, System.Text.Json.JsonSerializer.Serialize(body));

    /// <summary>Asserts Delighted's 422 shape and that <paramref name="field"/> is among the named fields.</summary>
    public static void AssertInvalid((int Status, JsonNode? Body, HttpResponseMessage Response) result, string field)
    {
        Assert.True(result.Status == 422, $"expected 422 naming {field}, got {result.Status}: {result.Body?.ToJsonString()}");
        Assert.Equal(422, result.Body!["status"]!.GetValue<int>());
        Assert.Equal("Unprocessable Entity", result.Body["message"]!.GetValue<string>());
        var errors = result.Body["errors"]!.AsObject();
        Assert.True(errors.Any(e => e.Key == field || e.Key.StartsWith(field + ".", StringComparison.Ordinal)),
            $"expected an error on {field}: {result.Body.ToJsonString()}");
    }
}
