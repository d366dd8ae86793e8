using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Decisions;

/// <summary>One policy's decision for one request.</summary>
public sealed record Decision(CompiledPolicy Policy, string Identifier, bool Allowed, LimitOutcome[] Limits, DecisionSource Source, PolicyOverride? Override)
{
    /// <summary>
    /// The limit the answer reports: when rejected, the one that makes the caller wait longest; when admitted, the one
    /// with the fewest units left.
    /// </summary>
    public LimitOutcome? Binding
    {
        get
        {
            LimitOutcome? binding = null;
            foreach (var limit in Limits)
            {
                if (binding is null)
                {
                    binding = limit;
                }
                else if (!Allowed)
                {
                    if (!limit.Admits && (binding.Admits || Waits(limit) > Waits(binding)))
                    {
                        binding = limit;
                    }
                }
                else if (limit.Remaining < binding.Remaining || (limit.Remaining == binding.Remaining && limit.ResetMicros > binding.ResetMicros))
                {
                    binding = limit;
                }
            }

            return binding;
        }
    }

    private static long Waits(LimitOutcome limit) => limit.RetryAfterMicros < 0 ? long.MaxValue : limit.RetryAfterMicros;
}
