using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace SentryFlow.ServiceDefaults;

/// <summary>Healthy when Redis answers <c>PING</c>.</summary>
public sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(
        HealthCheckContext context,
        CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            // Answer at once rather than wait for a PING to time out while the multiplexer reconnects.
            return new HealthCheckResult(context.Registration.FailureStatus, "Not connected to Redis.");
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"PING answered in {latency.TotalMilliseconds:0.#} ms.");
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis does not answer PING.", exception);
        }
    }
}
