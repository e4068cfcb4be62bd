using System.Net.Http.Json;
using System.Text.Json;
using Promoter.Integrations.Webhooks;

namespace Promoter.Tests.Integrations.Webhooks;

/// <summary>Standard Webhooks signatures, checked by a receiver-side verifier written from the specification.</summary>
public sealed class WebhookSignatureTests
{
    // The test vector the Standard Webhooks libraries share (standard-webhooks/standard-webhooks, libraries/*/ tests).
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorBody = "{\"test\": 2432232314}";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    [Fact]
    public void The_signer_reproduces_the_published_test_vector_and_the_verifier_accepts_it()
    {
        Assert.Equal(VectorSignature, WebhookSignature.Sign(VectorSecret, VectorId, VectorTimestamp, VectorBody));
        Assert.True(ReceiverVerifier.Verify(VectorSecret, VectorId, "1614265330", VectorSignature, VectorBody, DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp)));
    }

    [Fact]
    public void The_verifier_refuses_a_tampered_body_a_wrong_secret_a_stale_timestamp_and_missing_headers()
    {
        var at = DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp);
        Assert.False(ReceiverVerifier.Verify(VectorSecret, VectorId, "1614265330", VectorSignature, "{\"test\": 2432232315}", at));
        Assert.False(ReceiverVerifier.Verify(WebhookSignature.NewSecret(), VectorId, "1614265330", VectorSignature, VectorBody, at));
        Assert.False(ReceiverVerifier.Verify(VectorSecret, VectorId, "1614265330", VectorSignature, VectorBody, at.AddMinutes(6)));
        Assert.False(ReceiverVerifier.Verify(VectorSecret, "msg_other", "1614265330", VectorSignature, VectorBody, at));
        Assert.False(ReceiverVerifier.Verify(VectorSecret, VectorId, null, VectorSignature, VectorBody, at));
        Assert.False(ReceiverVerifier.Verify(VectorSecret, VectorId, "1614265330", "v2," + VectorSignature[3..], VectorBody, at));
        // One good signature among bad ones is enough (rotation sends several).
        Assert.True(ReceiverVerifier.Verify(VectorSecret, VectorId, "1614265330", "v1,AAAA v1a,xyz " + VectorSignature, VectorBody, at));
    }

    [Fact]
    public void The_receiver_snippet_in_the_docs_is_the_verifier_these_tests_use()
    {
        static string Method(string text)
        {
            var start = text.IndexOf("    public static bool Verify(", StringComparison.Ordinal);
            var end = text.IndexOf("        return false;\n    }\n", start, StringComparison.Ordinal);
            Assert.True(start >= 0 && end > start, "Verify(...) not found");
            return text[start..end];
        }

        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Promoter.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        var docs = File.ReadAllText(Path.Combine(root, "docs", "webhooks.md")).ReplaceLineEndings("\n");
        var verifier = File.ReadAllText(Path.Combine(root, "tests", "Promoter.Tests", "Integrations", "Webhooks", "ReceiverVerifier.cs")).ReplaceLineEndings("\n");
        Assert.Equal(Method(verifier), Method(docs));
    }

    [Fact]
    public void Secrets_are_whsec_and_32_random_bytes()
    {
        var secret = WebhookSignature.NewSecret();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(secret["whsec_".Length..]).Length);
        Assert.NotEqual(secret, WebhookSignature.NewSecret());
    }

    [Fact]
    public async Task A_delivery_verifies_with_the_secret_shown_at_creation_and_names_its_event()
    {
        await using var h = await WebhookHarness.StartAsync();
        var endpoint = await h.CreateEndpointAsync();
        var responseId = await h.RespondAsync(9, "Quick and kind", "robin@example.com");

        Assert.Equal(1, await h.DispatchAsync());

        var request = Assert.Single(h.Receiver.Requests);
        Assert.True(ReceiverVerifier.Verify(endpoint.Secret, request.Id, request.Timestamp, request.Signature, request.Body, h.Clock.GetUtcNow()));
        Assert.Equal(h.Clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), request.Timestamp);
        Assert.Equal("application/json; charset=utf-8", request.ContentType);
        Assert.Equal(WebhookSender.UserAgent, request.UserAgent);
        Assert.Matches("^msg_[0-9a-f]{32}$", request.Id);

        using var body = JsonDocument.Parse(request.Body);
        var root = body.RootElement;
        Assert.Equal(request.Id, root.GetProperty("id").GetString());
        Assert.Equal("response.created", root.GetProperty("type").GetString());
        Assert.Equal(responseId, root.GetProperty("data").GetProperty("id").GetInt64());
        Assert.Equal("Quick and kind", root.GetProperty("data").GetProperty("comment").GetString());
        Assert.Equal("promoter", root.GetProperty("data").GetProperty("category").GetString());
        Assert.Equal("robin@example.com", root.GetProperty("data").GetProperty("contact").GetProperty("email").GetString());
        Assert.True(root.GetProperty("version").GetInt64() > 0);
    }

    [Fact]
    public async Task After_a_rotation_both_secrets_sign_for_24_hours_then_only_the_new_one()
    {
        await using var h = await WebhookHarness.StartAsync();
        var endpoint = await h.CreateEndpointAsync();
        using var rotated = await h.Api.PostAsync($"/api/v1/webhooks/{endpoint.Id}/rotate-secret", null);
        var rotation = await rotated.Content.ReadFromJsonAsync<JsonElement>();
        var newSecret = rotation.GetProperty("secret").GetString()!;
        Assert.NotEqual(endpoint.Secret, newSecret);
        Assert.Equal(h.Now.AddHours(24), rotation.GetProperty("previousSecretValidUntil").GetDateTime(), TimeSpan.FromSeconds(1));

        await h.RespondAsync(8);
        await h.DispatchAsync();
        var during = h.Receiver.Requests[^1];
        Assert.Equal(2, during.Signature!.Split(' ').Length);
        Assert.True(ReceiverVerifier.Verify(endpoint.Secret, during.Id, during.Timestamp, during.Signature, during.Body, h.Clock.GetUtcNow()));
        Assert.True(ReceiverVerifier.Verify(newSecret, during.Id, during.Timestamp, during.Signature, during.Body, h.Clock.GetUtcNow()));

        h.Clock.Advance(TimeSpan.FromHours(23));
        await h.RespondAsync(7);
        await h.DispatchAsync();
        Assert.Equal(2, h.Receiver.Requests[^1].Signature!.Split(' ').Length);

        h.Clock.Advance(TimeSpan.FromHours(1));
        await h.RespondAsync(6);
        await h.DispatchAsync();
        var after = h.Receiver.Requests[^1];
        Assert.Single(after.Signature!.Split(' '));
        Assert.False(ReceiverVerifier.Verify(endpoint.Secret, after.Id, after.Timestamp, after.Signature, after.Body, h.Clock.GetUtcNow()));
        Assert.True(ReceiverVerifier.Verify(newSecret, after.Id, after.Timestamp, after.Signature, after.Body, h.Clock.GetUtcNow()));
        Assert.Equal(JsonValueKind.Null, (await h.Api.GetFromJsonAsync<JsonElement>($"/api/v1/webhooks/{endpoint.Id}")).GetProperty("previousSecretValidUntil").ValueKind);
    }

    [Fact]
    public async Task Secrets_are_stored_encrypted_and_never_returned_by_reads()
    {
        await using var h = await WebhookHarness.StartAsync();
        var endpoint = await h.CreateEndpointAsync();

        var stored = await h.EndpointAsync(endpoint.Id);
        Assert.DoesNotContain(endpoint.Secret["whsec_".Length..], stored.Secret, StringComparison.Ordinal);
        Assert.DoesNotContain(endpoint.Secret, await h.Api.GetStringAsync($"/api/v1/webhooks/{endpoint.Id}"), StringComparison.Ordinal);
        Assert.DoesNotContain("secret\"", await h.Api.GetStringAsync("/api/v1/webhooks"), StringComparison.Ordinal);
    }
}
