using System.Collections.Concurrent;
using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Logging;
using SentryFlow.Contracts.Authorization;

namespace SentryFlow.ServiceDefaults.Authentication;

/// <summary>
/// What each access token this instance is sent may do now, as identity last answered (see <see cref="ITokenAccessSource"/>),
/// so a removed member, a disabled user, a deleted machine client or a revoked token loses access within seconds, and a
/// role, organization or project gained after the token was issued counts as soon. The token's own role claims are
/// replaced by identity's answer; its signature and lifetime are still checked by JwtBearer.
/// </summary>
/// <remarks>
/// <para>Cheap on the hot path: a request looks its token up in memory. <see cref="TokenAccessRefresher"/> asks identity
/// again every <see cref="RefreshInterval"/> for every token used in the last <see cref="IdleAfter"/>, all in one call,
/// so no request waits on identity except the first with a new token (or one whose answer is older than
/// <see cref="MaxAge"/> because the refresh failed). Nothing depends on a bus message arriving.</para>
/// <para>When identity cannot be reached, an answer up to <see cref="OutageGrace"/> old is still used (nothing can change
/// while identity is down); past that, or for a token never answered, the request gets 503.</para>
/// <para>SentryFlow's own service tokens (role <c>service</c>) are exempt: they carry no organization and are not revocable.</para>
/// </remarks>
public sealed partial class TokenAccessCache
{
    public static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(2);

    /// <summary>An answer older than this is not used without asking identity again.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(4);

    /// <summary>How long an answer stays usable while identity cannot be reached.</summary>
    public static readonly TimeSpan OutageGrace = TimeSpan.FromSeconds(30);

    /// <summary>A refusal is confirmed with identity when its answer is older than this (a project created a moment ago).</summary>
    public static readonly TimeSpan RecheckAfter = TimeSpan.FromMilliseconds(500);

    /// <summary>A token unused for this long is forgotten (and no longer refreshed).</summary>
    public static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(1);

    public const int MaxEntries = 10_000;

    private const string RoleClaim = "role";

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Entry>.AlternateLookup<ReadOnlySpan<char>> _bySpan;
    private readonly ITokenAccessSource _source;
    private readonly TimeProvider _time;
    private readonly ILogger<TokenAccessCache> _logger;

    public TokenAccessCache(ITokenAccessSource source, TimeProvider time, ILogger<TokenAccessCache> logger)
    {
        _source = source;
        _time = time;
        _logger = logger;
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Tokens of SentryFlow's own services, which are not looked up.</summary>
    public static bool IsExempt(ClaimsPrincipal principal) => principal.HasClaim(RoleClaim, SentryFlowClaims.Service);

    /// <summary>The token's current principal, without waiting, when a fresh enough answer is at hand.</summary>
    public bool TryApply(ReadOnlySpan<char> token, ClaimsPrincipal tokenPrincipal, out TokenAccessOutcome outcome)
    {
        var now = _time.GetUtcNow();
        if (_bySpan.TryGetValue(token, out var entry) && entry.Answer is { } answer && now - answer.FetchedAt <= MaxAge)
        {
            entry.Touch(now);
            outcome = Outcome(answer, tokenPrincipal);
            return true;
        }

        outcome = default;
        return false;
    }

    /// <summary>The token's current principal (its role claims replaced by identity's answer), or why there is none.</summary>
    public async ValueTask<TokenAccessOutcome> ApplyAsync(string token, ClaimsPrincipal tokenPrincipal)
    {
        var now = _time.GetUtcNow();
        var entry = Find(token, now);
        if (entry.Answer is { } answer && now - answer.FetchedAt <= MaxAge)
        {
            return Outcome(answer, tokenPrincipal);
        }

        if (await FetchAsync(entry) is { } fetched)
        {
            return Outcome(fetched, tokenPrincipal);
        }

        return entry.Answer is { } last && _time.GetUtcNow() - last.FetchedAt <= OutageGrace
            ? Outcome(last, tokenPrincipal)
            : new TokenAccessOutcome(TokenAccessStatus.Unavailable, null);
    }

    /// <summary>
    /// Before a refusal: asks identity again when the answer is older than <see cref="RecheckAfter"/>, and gives the
    /// token's principal by the new answer; null when there is nothing newer to go by.
    /// </summary>
    public async ValueTask<ClaimsPrincipal?> RecheckAsync(string token, ClaimsPrincipal principal)
    {
        if (!_entries.TryGetValue(token, out var entry) || entry.Answer is not { } answer || _time.GetUtcNow() - answer.FetchedAt < RecheckAfter)
        {
            return null;
        }

        return await FetchAsync(entry) is { Access.Active: true } fetched ? Outcome(fetched, principal).Principal : null;
    }

    /// <summary>Asks identity about every token used lately, in one call; forgets the idle ones. Run by <see cref="TokenAccessRefresher"/>.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var due = new List<Entry>();
        foreach (var pair in _entries)
        {
            if (now - pair.Value.LastUsed > IdleAfter)
            {
                _entries.TryRemove(pair);
            }
            else if (pair.Value.Answer is not { } answer || now - answer.FetchedAt >= RefreshInterval / 2)
            {
                due.Add(pair.Value);
            }
        }

        if (due.Count == 0)
        {
            return;
        }

        try
        {
            var answers = await _source.FetchAsync([.. due.Select(entry => entry.Token)], cancellationToken);
            for (var i = 0; i < due.Count; i++)
            {
                due[i].Answer = new Answer(answers[i], now);
            }
        }
        catch (Exception exception) when (IsUnreachable(exception) && !cancellationToken.IsCancellationRequested)
        {
            LogUnreachable(_logger, exception);
        }
    }

    /// <summary>
    /// Runs after JwtBearer (or <see cref="ValidatedTokenCache"/>) accepted the token's signature: replaces the principal
    /// by the current one, or fails the authentication (401, or 503 when identity cannot be reached).
    /// </summary>
    public static void Complete(ResultContext<JwtBearerOptions> context, TokenAccessOutcome outcome)
    {
        switch (outcome.Status)
        {
            case TokenAccessStatus.Current:
                context.Principal = outcome.Principal;
                break;
            case TokenAccessStatus.Ended:
                context.Fail(new TokenAccessEndedException());
                break;
            default:
                context.Fail(new TokenAccessUnavailableException());
                break;
        }
    }

    /// <summary>The bearer token of an <c>Authorization</c> header; empty when there is none.</summary>
    public static ReadOnlySpan<char> BearerToken(string? authorization) =>
        authorization is { Length: > 7 } value && value.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? value.AsSpan(7).Trim() : [];

    private Entry Find(string token, DateTimeOffset now)
    {
        if (!_entries.TryGetValue(token, out var entry))
        {
            if (_entries.Count >= MaxEntries)
            {
                _entries.Clear();
            }

            entry = _entries.GetOrAdd(token, static token => new Entry(token));
        }

        entry.Touch(now);
        return entry;
    }

    // One call at a time per token: the requests that arrive meanwhile wait for the same answer.
    private Task<Answer?> FetchAsync(Entry entry)
    {
        lock (entry)
        {
            if (entry.Fetching is { IsCompleted: false } running)
            {
                return running;
            }

            return entry.Fetching = FetchOneAsync(entry);
        }
    }

    private async Task<Answer?> FetchOneAsync(Entry entry)
    {
        var asked = _time.GetUtcNow();
        try
        {
            // Not the request's cancellation: other requests may be waiting on this answer.
            var access = (await _source.FetchAsync([entry.Token], CancellationToken.None))[0];
            return entry.Answer = new Answer(access, asked);
        }
        catch (Exception exception) when (IsUnreachable(exception))
        {
            LogUnreachable(_logger, exception);
            return null;
        }
    }

    private static bool IsUnreachable(Exception exception) =>
        exception is HttpRequestException or OperationCanceledException or System.Text.Json.JsonException or Polly.ExecutionRejectedException;

    private static TokenAccessOutcome Outcome(Answer answer, ClaimsPrincipal tokenPrincipal) =>
        answer.Access.Active
            ? new TokenAccessOutcome(TokenAccessStatus.Current, ValidatedTokenCache.Copy(answer.Principal ??= Build(tokenPrincipal, answer.Access)))
            : new TokenAccessOutcome(TokenAccessStatus.Ended, null);

    // The token's claims but its role claims, which come from the answer. Built once per answer, copied per request.
    private static ClaimsPrincipal Build(ClaimsPrincipal tokenPrincipal, TokenAccess access)
    {
        var source = tokenPrincipal.Identities.First();
        var identity = new ClaimsIdentity(source.AuthenticationType, source.NameClaimType, source.RoleClaimType);
        foreach (var claim in source.Claims)
        {
            if (claim.Type is not (RoleClaim or SentryFlowClaims.OrganizationRole or SentryFlowClaims.ProjectRole))
            {
                identity.AddClaim(claim);
            }
        }

        identity.AddClaims(access.Roles.Select(value => new Claim(RoleClaim, value)));
        identity.AddClaims(access.OrganizationRoles.Select(value => new Claim(SentryFlowClaims.OrganizationRole, value)));
        identity.AddClaims(access.ProjectRoles.Select(value => new Claim(SentryFlowClaims.ProjectRole, value)));
        return new ClaimsPrincipal(identity);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Identity could not be asked what access tokens may do; the last answers are used for up to 30 s")]
    private static partial void LogUnreachable(ILogger logger, Exception exception);

    private sealed class Entry(string token)
    {
        private long _lastUsedTicks;

        public string Token { get; } = token;

        public volatile Answer? Answer;

        public Task<Answer?>? Fetching;

        public DateTimeOffset LastUsed => new(Volatile.Read(ref _lastUsedTicks), TimeSpan.Zero);

        public void Touch(DateTimeOffset now) => Volatile.Write(ref _lastUsedTicks, now.UtcTicks);
    }

    private sealed class Answer(TokenAccess access, DateTimeOffset fetchedAt)
    {
        public TokenAccess Access { get; } = access;

        public DateTimeOffset FetchedAt { get; } = fetchedAt;

        public ClaimsPrincipal? Principal;
    }
}

public enum TokenAccessStatus
{
    /// <summary>The token may be used; the outcome's principal carries its current roles.</summary>
    Current,

    /// <summary>Revoked, its user disabled or its machine client deleted: a 401.</summary>
    Ended,

    /// <summary>Identity could not be asked and no recent answer is at hand: a 503.</summary>
    Unavailable,
}

public readonly record struct TokenAccessOutcome(TokenAccessStatus Status, ClaimsPrincipal? Principal);

/// <summary>Why authentication failed: the token no longer works (revoked, user disabled, client deleted).</summary>
public sealed class TokenAccessEndedException() : Exception("The access token was revoked, or its user disabled or its machine client deleted.");

/// <summary>Why authentication failed: identity could not confirm the token's access.</summary>
public sealed class TokenAccessUnavailableException() : Exception("Identity could not be reached to confirm the access token's access.");
