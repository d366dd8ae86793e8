using MassTransit;
using SentryFlow.Contracts.IntegrationEvents;
using SentryFlow.RateLimit.Policies;

namespace SentryFlow.RateLimit.Events;

/// <summary>
/// Drops a project's cached policies when they change on any instance. Each instance has its own temporary queue
/// (see Program.cs), so every instance hears every change.
/// </summary>
public sealed class PolicyChangedConsumer(PolicyCache cache) : IConsumer<RateLimitPolicyChanged>
{
    public Task Consume(ConsumeContext<RateLimitPolicyChanged> context)
    {
        cache.Invalidate(context.Message.ProjectId);
        return Task.CompletedTask;
    }
}
