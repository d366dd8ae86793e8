using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;

namespace SentryFlow.Ingest.Authentication;

/// <summary>
/// Checks an ingest key with the keys service (<c>POST http://keys/v1/keys/verify</c>, permission
/// <c>ingest:write</c>) and remembers the answer briefly, by the key's hash, so a busy sender costs one call per
/// interval rather than one per request. A revoked key is therefore refused within <see cref="ValidFor"/>.
/// </summary>
public sealed class IngestKeyVerifier(HttpClient keys, IMemoryCache cache)
{
    public const string Permission = "ingest:write";
    public static readonly TimeSpan ValidFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RefusedFor = TimeSpan.FromSeconds(2);

    public async Task<IngestKeyVerdict> VerifyAsync(string key, CancellationToken cancellationToken)
    {
        var cacheKey = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        if (cache.TryGetValue(cacheKey, out IngestKeyVerdict? known))
        {
            return known!;
        }

        using var response = await keys.PostAsJsonAsync("/v1/keys/verify", new { key, permissions = Permission }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var code = body.GetProperty("code").GetString()!;
        var verdict = code == "VALID"
            ? new IngestKeyVerdict(code, new IngestKey(body.GetProperty("keyId").GetGuid(), body.GetProperty("projectId").GetGuid()))
            : new IngestKeyVerdict(code, null);
        cache.Set(cacheKey, verdict, verdict.Key is null ? RefusedFor : ValidFor);
        return verdict;
    }
}
