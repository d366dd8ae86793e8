using Microsoft.EntityFrameworkCore;
using Npgsql;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.RateLimit.Apis.Requests;
using SentryFlow.RateLimit.Apis.Responses;
using SentryFlow.RateLimit.Infrastructure;
using SentryFlow.RateLimit.Policies;
using SentryFlow.ServiceDefaults.Authentication;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.RateLimit.Apis;

/// <summary>A project's rate-limit policies and their overrides: viewers read them, admins change them.</summary>
public static class PoliciesApi
{
    public static IEndpointRouteBuilder MapPoliciesApi(this IEndpointRouteBuilder app)
    {
        var policies = app.MapGroup("/api/projects/{projectId:guid}/ratelimit/policies").WithTags("Policies");
        policies.MapGet("/", ListAsync).RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        policies.MapGet("/{policyId:guid}", GetAsync).RequireAuthorization(SentryFlowPolicies.ProjectViewer);
        policies.MapPost("/", CreateAsync).RequireAuthorization(SentryFlowPolicies.ProjectAdmin);
        policies.MapPut("/{policyId:guid}", ReplaceAsync).RequireAuthorization(SentryFlowPolicies.ProjectAdmin);
        policies.MapDelete("/{policyId:guid}", DeleteAsync).RequireAuthorization(SentryFlowPolicies.ProjectAdmin);
        policies.MapPost("/{policyId:guid}/overrides", AddOverrideAsync).RequireAuthorization(SentryFlowPolicies.ProjectAdmin);
        policies.MapDelete("/{policyId:guid}/overrides/{overrideId:guid}", DeleteOverrideAsync).RequireAuthorization(SentryFlowPolicies.ProjectAdmin);
        return app;
    }

    private static async Task<IResult> ListAsync(Guid projectId, RateLimitDbContext db, CancellationToken cancellationToken)
    {
        var policies = await db.Policies.AsNoTracking().AsSplitQuery().Include(p => p.Overrides)
            .Where(p => p.ProjectId == projectId).OrderBy(p => p.Name).ToListAsync(cancellationToken);
        return TypedResults.Ok(policies.Select(PolicyResponse.From).ToList());
    }

    private static async Task<IResult> GetAsync(Guid projectId, Guid policyId, RateLimitDbContext db, CancellationToken cancellationToken)
    {
        var policy = await FindAsync(db, projectId, policyId, cancellationToken, tracking: false);
        return policy is null ? NoSuchPolicy() : TypedResults.Ok(PolicyResponse.From(policy));
    }

    private static async Task<IResult> CreateAsync(
        Guid projectId, PolicyRequest request, RateLimitDbContext db, PolicyCache cache, CancellationToken cancellationToken)
    {
        try
        {
            var policy = await db.InTransactionAsync(async ct =>
            {
                var created = new RateLimitPolicy { ProjectId = projectId, Name = request.Name };
                Apply(created, request);
                db.Policies.Add(created);
                db.AddIntegrationEvent(new RateLimitPolicyChanged(projectId, created.Id, "created", created.UpdatedAt));
                await db.SaveChangesAsync(ct);
                return created;
            }, cancellationToken);
            cache.Invalidate(projectId);
            return TypedResults.Created($"/api/projects/{projectId}/ratelimit/policies/{policy.Id}", PolicyResponse.From(policy));
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return NameTaken();
        }
    }

    private static async Task<IResult> ReplaceAsync(
        Guid projectId, Guid policyId, PolicyRequest request, RateLimitDbContext db, PolicyCache cache, CancellationToken cancellationToken)
    {
        try
        {
            var result = await db.InTransactionAsync(async ct =>
            {
                var policy = await FindAsync(db, projectId, policyId, ct, tracking: true);
                if (policy is null)
                {
                    return null;
                }

                if (UnknownOverrideLimits(policy, request) is { } conflict)
                {
                    return conflict;
                }

                policy.Name = request.Name;
                Apply(policy, request);
                policy.UpdatedAt = DateTimeOffset.UtcNow;
                db.AddIntegrationEvent(new RateLimitPolicyChanged(projectId, policy.Id, "updated", policy.UpdatedAt));
                await db.SaveChangesAsync(ct);
                return (object)PolicyResponse.From(policy);
            }, cancellationToken);
            cache.Invalidate(projectId);
            return result switch
            {
                null => NoSuchPolicy(),
                PolicyResponse response => TypedResults.Ok(response),
                _ => (IResult)result,
            };
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return NameTaken();
        }
    }

    private static async Task<IResult> DeleteAsync(
        Guid projectId, Guid policyId, RateLimitDbContext db, PolicyCache cache, Decisions.RedisRateLimiter redis, CancellationToken cancellationToken)
    {
        var deleted = await db.InTransactionAsync(async ct =>
        {
            var policy = await db.Policies.SingleOrDefaultAsync(p => p.Id == policyId && p.ProjectId == projectId, ct);
            if (policy is null)
            {
                return false;
            }

            db.Policies.Remove(policy);
            db.AddIntegrationEvent(new RateLimitPolicyChanged(projectId, policy.Id, "deleted", DateTimeOffset.UtcNow));
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
        if (!deleted)
        {
            return NoSuchPolicy();
        }

        cache.Invalidate(projectId);
        await redis.ResetAllAsync(Decisions.RedisRateLimiter.KeyPrefix(policyId));
        return TypedResults.NoContent();
    }

    private static async Task<IResult> AddOverrideAsync(
        Guid projectId, Guid policyId, OverrideRequest request, RateLimitDbContext db, PolicyCache cache, CancellationToken cancellationToken)
    {
        try
        {
            var result = await db.InTransactionAsync<object?>(async ct =>
            {
                var policy = await FindAsync(db, projectId, policyId, ct, tracking: true);
                if (policy is null)
                {
                    return null;
                }

                if (policy.Overrides.Count >= Limits.OverridesPerPolicy)
                {
                    return RateLimitProblems.TooManyOverrides.Result("Delete an override before adding another.");
                }

                if (OverrideProblems(policy, request, out var limits) is { } invalid)
                {
                    return invalid;
                }

                var created = new PolicyOverride
                {
                    PolicyId = policy.Id,
                    Target = request.Target!.Value,
                    Pattern = request.Pattern,
                    Limits = [.. limits.Select(l => new OverrideLimit { Name = l.Name, Limit = l.Limit!.Value, Burst = l.Burst })],
                };
                db.Overrides.Add(created);
                policy.UpdatedAt = DateTimeOffset.UtcNow;
                db.AddIntegrationEvent(new RateLimitPolicyChanged(projectId, policy.Id, "override-added", policy.UpdatedAt));
                await db.SaveChangesAsync(ct);
                return OverrideResponse.From(created);
            }, cancellationToken);
            cache.Invalidate(projectId);
            return result switch
            {
                null => NoSuchPolicy(),
                OverrideResponse response => TypedResults.Created($"/api/projects/{projectId}/ratelimit/policies/{policyId}/overrides/{response.Id}", response),
                _ => (IResult)result,
            };
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return RateLimitProblems.OverrideExists.Validation("pattern", "The policy already has an override for this target and pattern; delete it first.");
        }
    }

    private static async Task<IResult> DeleteOverrideAsync(
        Guid projectId, Guid policyId, Guid overrideId, RateLimitDbContext db, PolicyCache cache, CancellationToken cancellationToken)
    {
        var deleted = await db.InTransactionAsync(async ct =>
        {
            var policy = await FindAsync(db, projectId, policyId, ct, tracking: true);
            var found = policy?.Overrides.SingleOrDefault(o => o.Id == overrideId);
            if (policy is null || found is null)
            {
                return false;
            }

            db.Overrides.Remove(found);
            policy.UpdatedAt = DateTimeOffset.UtcNow;
            db.AddIntegrationEvent(new RateLimitPolicyChanged(projectId, policy.Id, "override-deleted", policy.UpdatedAt));
            await db.SaveChangesAsync(ct);
            return true;
        }, cancellationToken);
        cache.Invalidate(projectId);
        return deleted ? TypedResults.NoContent() : RateLimitProblems.OverrideNotFound.Result("No such override of this policy.");
    }

    internal static Task<RateLimitPolicy?> FindAsync(RateLimitDbContext db, Guid projectId, Guid policyId, CancellationToken cancellationToken, bool tracking)
    {
        var query = db.Policies.AsSplitQuery().Include(p => p.Overrides).Where(p => p.Id == policyId && p.ProjectId == projectId);
        return (tracking ? query : query.AsNoTracking()).SingleOrDefaultAsync(cancellationToken);
    }

    private static void Apply(RateLimitPolicy policy, PolicyRequest request)
    {
        policy.Algorithm = request.Algorithm!.Value;
        policy.PartitionBy = [.. request.PartitionBy!];
        policy.Routes = [.. request.Routes ?? []];
        policy.Methods = [.. (request.Methods ?? []).Select(m => m.ToUpperInvariant())];
        policy.Limits = [.. request.Limits!.Select(l => new PolicyLimit { Name = l.Name, Limit = l.Limit!.Value, WindowSeconds = l.WindowSeconds!.Value, Burst = l.Burst })];
        policy.FailureMode = request.FailureMode ?? FailureMode.Open;
    }

    /// <summary>A replacement may not drop or rename a limit an override still refers to.</summary>
    private static IResult? UnknownOverrideLimits(RateLimitPolicy policy, PolicyRequest request)
    {
        var names = request.Limits!.Select(l => l.Name).ToHashSet(StringComparer.Ordinal);
        var orphan = policy.Overrides.SelectMany(o => o.Limits).Select(l => l.Name).FirstOrDefault(n => !names.Contains(n));
        return orphan is null ? null : RateLimitProblems.LimitInUse.Validation("limits", $"An override refers to the limit '{orphan}'; delete the override first.");
    }

    internal static IResult NoSuchPolicy() => RateLimitProblems.PolicyNotFound.Result("No such policy in this project.");

    private static IResult NameTaken() => RateLimitProblems.PolicyNameTaken.Validation("name", "The project already has a policy with this name.");

    /// <summary>
    /// What the framework's attribute validation cannot see: null entries, and whether the limits fit the policy;
    /// <paramref name="limits"/> are the request's limits when it fits.
    /// </summary>
    private static IResult? OverrideProblems(RateLimitPolicy policy, OverrideRequest request, out List<OverrideLimitRequest> limits)
    {
        limits = [];
        var errors = new ProblemErrors();
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < request.Limits!.Count; i++)
        {
            var field = $"limits[{i}]";
            if (request.Limits[i] is not { } limit)
            {
                errors.Add(RateLimitProblems.OverrideInvalid, field, "A limit is an object with the name of one of the policy's limits and a new limit.");
                continue;
            }

            limits.Add(limit);
            if (policy.Limits.SingleOrDefault(l => l.Name == limit.Name) is not { } target)
            {
                errors.Add(RateLimitProblems.OverrideInvalid, $"{field}.name", $"The policy has no limit named '{limit.Name}'.");
            }
            else if (!names.Add(limit.Name))
            {
                errors.Add(RateLimitProblems.OverrideInvalid, $"{field}.name", "Each limit may be overridden once.");
            }
            else if (PolicyRequest.ValidateBurst(policy.Algorithm, limit.Limit, target.WindowSeconds, limit.Burst, $"{field}.burst").FirstOrDefault() is { } error)
            {
                errors.Add(RateLimitProblems.OverrideInvalid, $"{field}.burst", error.ErrorMessage!);
            }
        }

        if (request.Pattern.Trim('*').Length == 0)
        {
            errors.Add(RateLimitProblems.OverrideInvalid, "pattern", "A pattern needs at least one character besides '*'.");
        }

        return errors.ToResult();
    }
}
