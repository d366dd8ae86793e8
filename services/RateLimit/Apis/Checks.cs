using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Contracts.RateLimit;
using SentryFlow.RateLimit.Apis.Requests;
using SentryFlow.RateLimit.Decisions;
using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Apis;

/// <summary>What the check endpoints share: resolving an item to policies and identifiers, deciding, answering.</summary>
public static class Checks
{
    /// <summary>Whether the caller may ask for decisions of <paramref name="projectId"/>: a member (or machine client) of it.</summary>
    public static bool MayCheck(ClaimsPrincipal user, Guid projectId)
    {
        if (user.IsInRole(SentryFlowClaims.Service))
        {
            return true; // SentryFlow's own services (ingest limiting a project's intake)
        }

        foreach (var claim in user.FindAll(SentryFlowClaims.ProjectRole))
        {
            if (SentryFlowClaims.TryParse(claim.Value, out var id, out var role) && id == projectId && role >= OrganizationRole.Member)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The policies an item names or whose routes match it, each with its identifier; or the 400 naming the field that
    /// is wrong (<c>ratelimit.policy_unknown</c> for a policy the project does not have, else <c>ratelimit.check_invalid</c>).
    /// </summary>
    public static bool TryResolve(
        ProjectPolicies policies, CheckItem item, string fieldPrefix,
        List<(CompiledPolicy Policy, string Identifier)> resolved, out ValidationProblem? errors)
    {
        errors = null;
        if (item.Policy is { } name)
        {
            if (policies.Find(name) is not { } policy)
            {
                errors = RateLimitProblems.PolicyUnknown.Validation(fieldPrefix + "policy", $"The project has no policy named '{name}'.");
                return false;
            }

            string? matched = null;
            if (item.Route is not null)
            {
                policy.AppliesTo(item.Route, item.Method, out matched);
            }

            return Add(policy, matched, item, fieldPrefix, resolved, out errors);
        }

        if (item.Route is null)
        {
            errors = Error(fieldPrefix + "policy", "Name a policy, or give a route so the policies that apply to it are checked.");
            return false;
        }

        if (item.Route.Length == 0 || item.Route[0] != '/')
        {
            errors = Error(fieldPrefix + "route", "A route is a path starting with '/'.");
            return false;
        }

        foreach (var policy in policies.All)
        {
            if (policy.AppliesTo(item.Route, item.Method, out var matched) && !Add(policy, matched, item, fieldPrefix, resolved, out errors))
            {
                return false;
            }
        }

        return true;
    }

    private static bool Add(
        CompiledPolicy policy, string? matchedRoute, CheckItem item, string fieldPrefix,
        List<(CompiledPolicy, string)> resolved, out ValidationProblem? errors)
    {
        errors = null;
        if (item.Identifier is { Length: > 0 } explicitIdentifier)
        {
            resolved.Add((policy, explicitIdentifier));
            return true;
        }

        var identifier = new StringBuilder();
        foreach (var key in policy.PartitionBy)
        {
            var (field, value) = key switch
            {
                PartitionKey.KeyId => ("keyId", item.KeyId),
                PartitionKey.Owner => ("owner", item.Owner),
                PartitionKey.Route => ("route", matchedRoute ?? item.Route),
                _ => ("ip", item.Ip),
            };
            if (string.IsNullOrEmpty(value))
            {
                errors = Error(fieldPrefix + field, $"The policy '{policy.Name}' is partitioned by {field}; give it (or an identifier).");
                return false;
            }

            if (identifier.Length > 0)
            {
                identifier.Append('|');
            }

            identifier.Append(field).Append('=').Append(value);
        }

        resolved.Add((policy, identifier.ToString()));
        return true;
    }

    /// <summary>Decides every resolved policy for one item (one script each, sent to Redis together).</summary>
    public static async Task<CheckResponse> DecideAsync(DecisionService decisions, List<(CompiledPolicy Policy, string Identifier)> resolved, CheckItem item)
    {
        if (resolved.Count == 0)
        {
            return NoPolicy;
        }

        var requests = new DecisionRequest[resolved.Count];
        for (var i = 0; i < resolved.Count; i++)
        {
            requests[i] = Request(resolved[i], item);
        }

        return Answer(await decisions.DecideAsync(requests));
    }

    /// <summary>
    /// Decides a batch: every item's policies in one call to <see cref="DecisionService"/> (one pipelined write to
    /// Redis for the whole batch), answered per item, in order.
    /// </summary>
    public static async Task<CheckResponse[]> DecideAsync(DecisionService decisions, List<(CompiledPolicy Policy, string Identifier)>[] resolved, IReadOnlyList<CheckItem> items)
    {
        var requests = new List<DecisionRequest>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            foreach (var policy in resolved[i])
            {
                requests.Add(Request(policy, items[i]));
            }
        }

        var made = requests.Count == 0 ? [] : await decisions.DecideAsync(requests);
        var answers = new CheckResponse[items.Count];
        var next = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var count = resolved[i].Count;
            answers[i] = count == 0 ? NoPolicy : Answer(new ArraySegment<Decision>(made, next, count));
            next += count;
        }

        return answers;
    }

    /// <summary>The answer when no policy applies: admitted, by nobody.</summary>
    public static readonly CheckResponse NoPolicy = new(true, null, null, null, null, CheckSources.None, null, []);

    private static DecisionRequest Request((CompiledPolicy Policy, string Identifier) resolved, CheckItem item) =>
        new(resolved.Policy, resolved.Identifier, item.KeyId, item.Owner, item.Cost);

    // Loops, not LINQ: this runs once per item of every batch.
    public static CheckResponse Answer(IReadOnlyList<Decision> decisions)
    {
        var allowed = true;
        var source = DecisionSource.Redis;
        var limitCount = 0;
        foreach (var decision in decisions)
        {
            allowed &= decision.Allowed;
            limitCount += decision.Limits.Length;
            if (decision.Source == DecisionSource.FailedClosed || (decision.Source == DecisionSource.LocalFallback && source == DecisionSource.Redis))
            {
                source = decision.Source;
            }
        }

        // The binding limit: from a rejecting decision when rejected, else the one with the fewest left (the first on a tie).
        LimitOutcome? binding = null;
        var bindingRank = 0L;
        var all = new LimitOutcome[limitCount];
        var policies = new PolicyDecisionResponse[decisions.Count];
        var next = 0;
        for (var i = 0; i < decisions.Count; i++)
        {
            var decision = decisions[i];
            if (decision.Allowed == allowed && decision.Binding is { } candidate)
            {
                var rank = allowed ? candidate.Remaining : -(candidate.RetryAfterMicros < 0 ? long.MaxValue : candidate.RetryAfterMicros);
                if (binding is null || rank < bindingRank)
                {
                    (binding, bindingRank) = (candidate, rank);
                }
            }

            var limits = new LimitStateResponse[decision.Limits.Length];
            for (var j = 0; j < limits.Length; j++)
            {
                var l = all[next++] = decision.Limits[j];
                limits[j] = new LimitStateResponse(l.Name, l.Limit, l.WindowSeconds, Math.Max(0, l.Remaining), l.ResetMicros / 1e6,
                    l.Admits ? null : l.RetryAfterMicros < 0 ? -1 : l.RetryAfterMicros / 1e6);
            }

            policies[i] = new PolicyDecisionResponse(decision.Policy.Id, decision.Policy.Name, decision.Identifier, decision.Allowed,
                SourceName(decision.Source), decision.Override?.Id, limits);
        }

        var (policyHeader, rateLimitHeader, retryAfterHeader) = RateLimitHeaders.Render(all, allowed);
        long? retryAfter = allowed ? null : long.Parse(retryAfterHeader!, System.Globalization.CultureInfo.InvariantCulture);
        return new CheckResponse(
            allowed,
            binding?.Limit,
            binding is null ? null : Math.Max(0, binding.Remaining),
            binding is null ? null : RateLimitHeaders.Seconds(binding.ResetMicros),
            retryAfter,
            SourceName(source),
            new HeaderValues(policyHeader, rateLimitHeader, retryAfterHeader),
            policies);
    }

    public static string SourceName(DecisionSource source) => source switch
    {
        DecisionSource.Redis => CheckSources.Redis,
        DecisionSource.LocalFallback => CheckSources.LocalFallback,
        _ => CheckSources.FailedClosed,
    };

    private static ValidationProblem Error(string field, string message) => RateLimitProblems.CheckInvalid.Validation(field, message);
}
