using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace SentryFlow.ServiceDefaults;

/// <summary>How long one health check may take (section <c>Health</c>).</summary>
public sealed class HealthCheckTimeoutOptions
{
    public const string Section = "Health";

    /// <summary>
    /// Checks run side by side, so <c>/health</c> answers within about this long even when a server is frozen
    /// (a stopped PostgreSQL accepts a connection and never answers it).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:00:30")]
    public TimeSpan CheckTimeout { get; set; } = TimeSpan.FromMilliseconds(800);
}

/// <summary>
/// Bounds every registered health check: one that does not answer within <see cref="HealthCheckTimeoutOptions.CheckTimeout"/>
/// reports its failure status ("did not answer"), whether or not it honours cancellation.
/// </summary>
internal sealed class BoundedHealthChecks(IOptions<HealthCheckTimeoutOptions> timeouts) : IPostConfigureOptions<HealthCheckServiceOptions>
{
    public void PostConfigure(string? name, HealthCheckServiceOptions options)
    {
        var timeout = timeouts.Value.CheckTimeout;
        foreach (var registration in options.Registrations)
        {
            if (registration.Timeout == Timeout.InfiniteTimeSpan || registration.Timeout > timeout)
            {
                registration.Timeout = timeout;
            }

            var check = registration.Factory;
            var bound = registration.Timeout;
            registration.Factory = services => new BoundedCheck(check(services), bound);
        }
    }

    private sealed class BoundedCheck(IHealthCheck inner, TimeSpan timeout) : IHealthCheck
    {
        public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
        {
            try
            {
                return await inner.CheckHealthAsync(context, cancellationToken).WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                return new HealthCheckResult(context.Registration.FailureStatus,
                    $"{context.Registration.Name} did not answer within {timeout.TotalMilliseconds:0} ms.");
            }
        }
    }

    public static void Register(IServiceCollection services)
    {
        services.AddOptions<HealthCheckTimeoutOptions>().BindConfiguration(HealthCheckTimeoutOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IPostConfigureOptions<HealthCheckServiceOptions>, BoundedHealthChecks>();
    }
}
