using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Promoter.Collect;

/// <summary>
/// <c>Idempotency-Key</c> handling (IETF draft semantics): same key and body → the first answer again; same key,
/// other body → 422; same key while the first request still runs → 409. Keys are per workspace.
/// </summary>
public sealed class IdempotencyKeys
{
    public const string Header = "Idempotency-Key";
    private readonly ConcurrentDictionary<(Guid, string), byte> _inFlight = new();

    public static bool IsValidKey(string key) => key.Length is > 0 and <= 255 && key.All(c => c is >= ' ' and <= '~');

    public static string Fingerprint(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>Marks the key as running; false when another request with it has not finished.</summary>
    public bool TryBegin(Guid workspaceId, string key) => _inFlight.TryAdd((workspaceId, key), 0);

    public void End(Guid workspaceId, string key) => _inFlight.TryRemove((workspaceId, key), out _);
}
