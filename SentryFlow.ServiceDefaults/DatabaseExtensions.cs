using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;
using SentryFlow.ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers a service's own PostgreSQL database through EF Core.</summary>
public static class DatabaseExtensions
{
    /// <summary>How long the health check waits for the database before calling it unhealthy.</summary>
    public static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Registers <typeparamref name="TContext"/> (scoped) on PostgreSQL through Npgsql, with retry on
    /// transient failures; a health check named <paramref name="connectionName"/> and tagged
    /// <c>ready</c> that succeeds when the database accepts a connection; and
    /// <see cref="DatabaseMigrator{TContext}"/>, which creates the database if it is missing and applies
    /// the EF Core migrations while the host starts, before the server takes requests.
    /// </summary>
    /// <param name="builder">The service's builder.</param>
    /// <param name="connectionName">
    /// The connection string's name, e.g. <c>keysdb</c>, read from <c>ConnectionStrings:keysdb</c>
    /// (the environment variable <c>ConnectionStrings__keysdb</c>) when the context is first created; if
    /// it is absent that throws an <see cref="InvalidOperationException"/> naming the variable, and the
    /// host fails to start because the migrator needs the context.
    /// </param>
    /// <param name="configureNpgsql">
    /// Optional further Npgsql settings (a migrations assembly, a history table in the service's schema,
    /// ...). Retry on failure is already on.
    /// </param>
    public static IHostApplicationBuilder AddSentryFlowDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NpgsqlDbContextOptionsBuilder>? configureNpgsql = null)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        // The connection string is read when the options are built, not now, so that configuration added
        // after this call (tests, WebApplicationFactory) is seen.
        builder.Services.AddDbContext<TContext>((services, options) =>
        {
            var connectionString = ConnectionStrings.GetRequired(
                services.GetRequiredService<IConfiguration>(), connectionName);
            options.UseNpgsql(connectionString, npgsql =>
            {
                npgsql.EnableRetryOnFailure();
                configureNpgsql?.Invoke(npgsql);
            });
        });

        builder.Services.AddHealthChecks().AddCheck<DbContextHealthCheck<TContext>>(
            connectionName,
            HealthStatus.Unhealthy,
            [ServiceDefaultsExtensions.ReadyTag],
            HealthCheckTimeout);

        builder.Services.AddHostedService<DatabaseMigrator<TContext>>();

        return builder;
    }
}
