using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Caching.Memory;
using SentryFlow.Contracts.Keys;

namespace SentryFlow.Ingest.Authentication;

/// <summary>
/// Checks an ingest key with the keys service (<c>POST http://keys/v1/keys/verify</c>, permission
/// <c>ingest:write</c>) and remembers the answer briefly, by the key's hash, so a busy sender costs one call per
/// interval rather than one per request. A revoked key is therefore refused within <see cref="ValidFor"/>.
/// A credential no key can be (longer than any key), or one the keys service refuses as malformed (a 4xx), is an
/// invalid key; only a keys service that cannot be reached or answers 5xx throws (<see cref="HttpRequestException"/>).
/// </summary>
public sealed class IngestKeyVerifier(HttpClient keys, IMemoryCache cache)
{
    public const string Permission = "ingest:write";
    public static readonly TimeSpan ValidFor = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RefusedFor = TimeSpan.FromSeconds(2);
    private static readonly IngestKeyVerdict Invalid = new(VerifyCodes.NotFound, null);

    public async Task<IngestKeyVerdict> VerifyAsync(string key, CancellationToken cancellationToken)
    {
        if (key.Length > VerifyKeyRequest.MaxKeyLength)
        {
            return Invalid;
        }

        var cacheKey = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        if (cache.TryGetValue(cacheKey, out IngestKeyVerdict? known))
        {
            return known!;
        }

        using var response = await keys.PostAsJsonAsync("/v1/keys/verify", new VerifyKeyRequest(key, Permission), cancellationToken);
        if ((int)response.StatusCode >= 500)
        {
            throw new HttpRequestException($"The keys service answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        var verdict = Invalid;
        if (response.IsSuccessStatusCode)
        {
            var answer = await response.Content.ReadFromJsonAsync<VerifyKeyResponse>(cancellationToken)
                ?? throw new HttpRequestException("The keys service answered without a verdict.");
            verdict = answer is { Valid: true, KeyId: { } keyId, ProjectId: { } projectId }
                ? new IngestKeyVerdict(answer.Code, new IngestKey(keyId, projectId))
                : new IngestKeyVerdict(answer.Code, null);
        }

        cache.Set(cacheKey, verdict, verdict.Key is null ? RefusedFor : ValidFor);
        return verdict;
    }
}
