using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.Keys.Apis.Requests;
using SentryFlow.Keys.Apis.Responses;
using SentryFlow.Keys.Infrastructure;
using SentryFlow.Keys.Keys;
using SentryFlow.Keys.Verification;
using SentryFlow.ServiceDefaults.Authentication;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.Keys.Apis;

/// <summary>
/// Managing a project's keys: members create, change, rotate and revoke; viewers list and read. The project comes
/// from the route and the caller's role in it from their token.
/// </summary>
public static partial class KeysApi
{
    private const int MaxPageSize = 200;

    private const int MaxOwnerId = 256;

    public static IEndpointRouteBuilder MapKeysApi(this IEndpointRouteBuilder app)
    {
        var keys = app.MapGroup("/api/projects/{projectId:guid}/keys").WithTags("Keys");
        keys.MapPost("/", CreateAsync).RequireAuthorization(SentryFlowPolicies.ProjectMember);
        keys.MapGet("/", ListAsync).RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        keys.MapGet("/{keyId:guid}", GetAsync).RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        keys.MapPatch("/{keyId:guid}", UpdateAsync).RequireAuthorization(SentryFlowPolicies.ProjectMember);
        keys.MapPost("/{keyId:guid}/rotate", RotateAsync).RequireAuthorization(SentryFlowPolicies.ProjectMember);
        keys.MapDelete("/{keyId:guid}", RevokeAsync).RequireAuthorization(SentryFlowPolicies.ProjectMember);
        keys.MapGet("/{keyId:guid}/audit", AuditAsync).RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        return app;
    }

    private static async Task<IResult> CreateAsync(
        Guid projectId, CreateKeyRequest request, KeysDbContext db, KeyChanges changes, TimeProvider time, CancellationToken cancellationToken)
    {
        if (Problems(request.Permissions, request.Meta, request.RateLimits, request.ExpiresAt, time.GetUtcNow()) is { } invalid)
        {
            return invalid;
        }

        var (secret, hash, start) = KeySecretFormat.Generate(request.Prefix ?? KeySecretFormat.DefaultPrefix, request.Environment ?? "live");
        var key = new ApiKey
        {
            ProjectId = projectId,
            Name = request.Name,
            OwnerId = request.OwnerId,
            Meta = request.Meta?.GetRawText(),
            Permissions = [.. request.Permissions ?? []],
            Enabled = request.Enabled,
            ExpiresAt = request.ExpiresAt,
            Remaining = request.Remaining,
            Refill = request.Refill?.Interval ?? RefillInterval.None,
            RefillAmount = request.Refill?.Amount,
            Cost = request.Cost,
            RateLimits = ToLimits(request.RateLimits),
        };
        key.Secrets.Add(new ApiKeySecret { Hash = hash, KeyId = key.Id, Start = start });
        db.Keys.Add(key);
        await changes.CommitAsync(key, "created", start, new ApiKeyCreated(key.Id, projectId, key.Name, key.OwnerId, start, key.CreatedAt), cancellationToken);
        return TypedResults.Created($"/api/projects/{projectId}/keys/{key.Id}", KeyResponse.From(key, secret));
    }

    private static async Task<IResult> ListAsync(
        Guid projectId, KeysDbContext db, TimeProvider time, CancellationToken cancellationToken,
        string? ownerId = null, bool? enabled = null, bool? expired = null, Guid? after = null, int limit = 50)
    {
        var errors = new ProblemErrors();
        if (limit is < 1 or > MaxPageSize)
        {
            errors.Add(CommonProblems.Invalid, "limit", $"Between 1 and {MaxPageSize}.");
        }

        if (ownerId is { Length: > MaxOwnerId })
        {
            errors.Add(CommonProblems.Invalid, "ownerId", $"At most {MaxOwnerId} characters, as an owner id.");
        }

        if (errors.ToResult() is { } invalid)
        {
            return invalid;
        }

        var now = time.GetUtcNow();
        var keys = db.Keys.AsNoTracking().Include(k => k.Secrets).Where(k => k.ProjectId == projectId && k.RevokedAt == null);
        if (ownerId is not null)
        {
            keys = keys.Where(k => k.OwnerId == ownerId);
        }

        if (enabled is not null)
        {
            keys = keys.Where(k => k.Enabled == enabled);
        }

        if (expired is not null)
        {
            keys = expired.Value ? keys.Where(k => k.ExpiresAt <= now) : keys.Where(k => k.ExpiresAt == null || k.ExpiresAt > now);
        }

        if (after is not null)
        {
            keys = keys.Where(k => k.Id.CompareTo(after.Value) > 0);
        }

        var page = await keys.OrderBy(k => k.Id).Take(limit).ToListAsync(cancellationToken);
        return TypedResults.Ok(new KeyPage([.. page.Select(k => KeyResponse.From(k))], page.Count == limit ? page[^1].Id : null));
    }

    private static async Task<IResult> GetAsync(Guid projectId, Guid keyId, KeysDbContext db, CancellationToken cancellationToken) =>
        await FindAsync(db, projectId, keyId, cancellationToken) is { } key ? TypedResults.Ok(KeyResponse.From(key)) : NoSuchKey();

    private static async Task<IResult> UpdateAsync(
        Guid projectId, Guid keyId, UpdateKeyRequest request, KeysDbContext db, KeyChanges changes, UsageCounter usage, TimeProvider time,
        CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (Problems(request.Permissions, request.Meta, request.RateLimits, request.ClearExpiry ? null : request.ExpiresAt, now) is { } invalid)
        {
            return invalid;
        }

        var key = await FindAsync(db, projectId, keyId, cancellationToken);
        if (key is null)
        {
            return NoSuchKey();
        }

        key.Name = request.Name ?? key.Name;
        key.OwnerId = request.OwnerId ?? key.OwnerId;
        key.Meta = request.Meta?.GetRawText() ?? key.Meta;
        key.Permissions = request.Permissions is null ? key.Permissions : [.. request.Permissions];
        key.Enabled = request.Enabled ?? key.Enabled;
        key.ExpiresAt = request.ClearExpiry ? null : request.ExpiresAt ?? key.ExpiresAt;
        var usageChanged = request.ClearUsageLimit || request.Remaining is not null || request.Refill is not null;
        key.Remaining = request.ClearUsageLimit ? null : request.Remaining ?? key.Remaining;
        key.Refill = request.ClearUsageLimit ? RefillInterval.None : request.Refill?.Interval ?? key.Refill;
        key.RefillAmount = request.ClearUsageLimit ? null : request.Refill?.Amount ?? key.RefillAmount;
        key.Cost = request.Cost ?? key.Cost;
        key.RateLimits = request.RateLimits is null ? key.RateLimits : ToLimits(request.RateLimits);
        key.UpdatedAt = now;

        await changes.CommitAsync(key, "updated", ChangedFields(request), new ApiKeyUpdated(key.Id, projectId, key.Enabled, key.ExpiresAt, key.UpdatedAt), cancellationToken);
        if (usageChanged)
        {
            await usage.ResetAsync(key);
        }

        return TypedResults.Ok(KeyResponse.From(key));
    }

    private static async Task<IResult> RotateAsync(
        Guid projectId, Guid keyId, RotateKeyRequest request, KeysDbContext db, KeyChanges changes, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = await FindAsync(db, projectId, keyId, cancellationToken);
        if (key is null)
        {
            return NoSuchKey();
        }

        var now = time.GetUtcNow();
        var graceEnds = now.AddSeconds(request.GracePeriodSeconds);
        foreach (var old in key.Secrets.Where(s => s.ExpiresAt is null || s.ExpiresAt > graceEnds))
        {
            old.ExpiresAt = graceEnds;
        }

        var current = key.Secrets.FirstOrDefault()?.Start ?? KeySecretFormat.DefaultPrefix + "_live_";
        var head = current[..current.LastIndexOf('_')];
        var separator = head.IndexOf('_');
        var (secret, hash, start) = KeySecretFormat.Generate(head[..separator], head[(separator + 1)..]);
        var fresh = new ApiKeySecret { Hash = hash, KeyId = key.Id, Start = start, CreatedAt = now };
        key.Secrets.Add(fresh);
        db.Secrets.Add(fresh);
        key.UpdatedAt = now;
        await changes.CommitAsync(key, "rotated", $"{start}; previous secret valid until {graceEnds:O}",
            new ApiKeyRotated(key.Id, projectId, start, graceEnds, now), cancellationToken);
        return TypedResults.Ok(KeyResponse.From(key, secret));
    }

    private static async Task<IResult> RevokeAsync(
        Guid projectId, Guid keyId, KeysDbContext db, KeyChanges changes, TimeProvider time, CancellationToken cancellationToken)
    {
        var key = await FindAsync(db, projectId, keyId, cancellationToken);
        if (key is null)
        {
            return NoSuchKey();
        }

        key.RevokedAt = time.GetUtcNow();
        key.UpdatedAt = key.RevokedAt.Value;
        await changes.CommitAsync(key, "revoked", null, new ApiKeyRevoked(key.Id, projectId, key.RevokedAt.Value), cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<IResult> AuditAsync(Guid projectId, Guid keyId, KeysDbContext db, CancellationToken cancellationToken)
    {
        var entries = await db.Audit.AsNoTracking()
            .Where(e => e.ProjectId == projectId && e.KeyId == keyId)
            .OrderByDescending(e => e.Id)
            .Take(500)
            .ToListAsync(cancellationToken);
        return entries.Count == 0 ? NoSuchKey() : TypedResults.Ok(entries);
    }

    private static Task<ApiKey?> FindAsync(KeysDbContext db, Guid projectId, Guid keyId, CancellationToken cancellationToken) =>
        db.Keys.Include(k => k.Secrets).SingleOrDefaultAsync(k => k.Id == keyId && k.ProjectId == projectId && k.RevokedAt == null, cancellationToken);

    private static IResult NoSuchKey() => KeysProblems.NotFound.Result("No such key in this project.");

    /// <summary>The checks the framework's attribute validation cannot make: list elements, meta's content, the expiry.</summary>
    private static IResult? Problems(string[]? permissions, JsonElement? meta, RateLimitRequest?[]? limits, DateTimeOffset? expiresAt, DateTimeOffset now)
    {
        var errors = new ProblemErrors();
        if (expiresAt <= now)
        {
            errors.Add(KeysProblems.ExpiryInPast, "expiresAt", "The expiry must be in the future; omit it for a key that does not expire.");
        }

        for (var i = 0; i < (permissions?.Length ?? 0); i++)
        {
            if (permissions![i] is not { } permission || !PermissionName().IsMatch(permission))
            {
                errors.Add(KeysProblems.PermissionInvalid, $"permissions[{i}]", "A permission name is 1 to 64 letters, digits and . _ : * -.");
            }
        }

        if (meta is { } json && KeyMeta.Problem(json) is { } metaProblem)
        {
            errors.Add(KeysProblems.MetaInvalid, "meta", metaProblem);
        }

        // Minimal APIs' validation stops at arrays of records; each limit is checked here.
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < (limits?.Length ?? 0); i++)
        {
            if (limits![i] is not { } limit)
            {
                errors.Add(KeysProblems.RateLimitInvalid, $"rateLimits[{i}]", "A rate limit is an object with a name, a limit and a durationMs.");
                continue;
            }

            var results = new List<ValidationResult>();
            if (!Validator.TryValidateObject(limit, new ValidationContext(limit), results, validateAllProperties: true))
            {
                foreach (var result in results)
                {
                    foreach (var member in result.MemberNames)
                    {
                        errors.Add(KeysProblems.RateLimitInvalid, $"rateLimits[{i}].{JsonNamingPolicy.CamelCase.ConvertName(member)}", result.ErrorMessage ?? "Invalid.");
                    }
                }
            }
            else if (!names.Add(limit.Name))
            {
                errors.Add(KeysProblems.RateLimitInvalid, "rateLimits", "Rate limit names must be unique.");
            }
        }

        return errors.ToResult();
    }

    private static List<KeyRateLimit> ToLimits(RateLimitRequest[]? limits) =>
        [.. (limits ?? []).Select(l => new KeyRateLimit { Name = l.Name, Limit = l.Limit, DurationMs = l.DurationMs, SharedByOwner = l.SharedByOwner })];

    private static string ChangedFields(UpdateKeyRequest request) => string.Join(", ", new (string Name, bool Changed)[]
    {
        ("name", request.Name is not null), ("ownerId", request.OwnerId is not null), ("meta", request.Meta is not null),
        ("permissions", request.Permissions is not null), ("enabled", request.Enabled is not null),
        ("expiresAt", request.ExpiresAt is not null || request.ClearExpiry), ("remaining", request.Remaining is not null || request.ClearUsageLimit),
        ("refill", request.Refill is not null), ("cost", request.Cost is not null), ("rateLimits", request.RateLimits is not null),
    }.Where(f => f.Changed).Select(f => f.Name));

    [GeneratedRegex("^[A-Za-z0-9._:*-]{1,64}$")]
    private static partial Regex PermissionName();
}
