using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>A server's own protocol probe as a health check: null means healthy, anything else says why not.</summary>
internal sealed class ServerHealthCheck(Func<CancellationToken, Task<string?>> probe) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken) =>
        await probe(cancellationToken) is { } problem ? HealthCheckResult.Unhealthy(problem) : HealthCheckResult.Healthy();
}
