using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Security.Claims;

namespace SentryFlow.ServiceDefaults.Authentication;

/// <summary>
/// Access tokens this instance has already validated, with the principal each produced, until the token expires (at
/// most <see cref="MaxAge"/>). A caller that sends the same token on every request (a gateway's machine client) then
/// pays for the RS256 signature check and the claims parsing once per token instead of once per request. The key is
/// the whole token string, so a token that differs in any character (another signature, altered claims) is
/// validated afresh. Bounded: when full, it starts over.
/// </summary>
public sealed class ValidatedTokenCache
{
    public const int MaxEntries = 10_000;

    /// <summary>How long a token is trusted without being checked again, however long it is valid (signing keys rotate).</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(5);

    private readonly ConcurrentDictionary<string, Entry> _tokens;
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _bySpan;


    private readonly TimeProvider _time;

    public ValidatedTokenCache(TimeProvider time)
    {
        _time = time;
        _tokens = new(StringComparer.Ordinal);
        _bySpan = _tokens.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>A copy of the principal <paramref name="token"/> produced, while the token is unexpired.</summary>
    public bool TryGet(ReadOnlySpan<char> token, [NotNullWhen(true)] out ClaimsPrincipal? principal)
    {
        if (TryGetShared(token, out var shared))
        {
            // A copy per request: nothing a request does to its user can reach another request's.
            principal = Copy(shared);
            return true;
        }

        principal = null;
        return false;
    }

    /// <summary>
    /// The principal <paramref name="token"/> produced, itself, while the token is unexpired: for a caller that builds its
    /// own copy from it (<see cref="TokenAccessCache"/>) and never changes it.
    /// </summary>
    public bool TryGetShared(ReadOnlySpan<char> token, [NotNullWhen(true)] out ClaimsPrincipal? principal)
    {
        if (_bySpan.TryGetValue(token, out var key, out var entry))
        {
            if (_time.GetUtcNow() < entry.Until)
            {
                principal = entry.Principal;
                return true;
            }

            _tokens.TryRemove(KeyValuePair.Create(key, entry));
        }

        principal = null;
        return false;
    }

    /// <summary>Remembers a token that was just validated and the principal it produced, until <paramref name="expires"/>.</summary>
    public void Add(string token, ClaimsPrincipal principal, DateTimeOffset expires)
    {
        var now = _time.GetUtcNow();
        var until = expires < now + MaxAge ? expires : now + MaxAge;
        if (until <= now)
        {
            return;
        }

        if (_tokens.Count >= MaxEntries)
        {
            _tokens.Clear();
        }

        _tokens[token] = new Entry(Copy(principal), until);
    }

    /// <summary>A deep copy: ClaimsPrincipal.Clone shares its identities; this copies them (and so their claims) too.</summary>
    public static ClaimsPrincipal Copy(ClaimsPrincipal principal) => new(principal.Identities.Select(identity => identity.Clone()));

    private sealed record Entry(ClaimsPrincipal Principal, DateTimeOffset Until);
}
