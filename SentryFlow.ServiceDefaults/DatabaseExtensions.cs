using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql.EntityFrameworkCore.PostgreSQL.Infrastructure;
using SentryFlow.ServiceDefaults;

namespace Microsoft.Extensions.Hosting;

/// <summary>Registers a service's own PostgreSQL database through EF Core.</summary>
public static class DatabaseExtensions
{
    /// <summary>
    /// Registers <typeparamref name="TContext"/> on PostgreSQL through Aspire's Npgsql EF Core client integration
    /// (<c>AddNpgsqlDbContext</c>: a pooled context, retry on transient failures, a health check, traces and metrics),
    /// and <see cref="DatabaseMigrator{TContext}"/>, which creates the database if it is missing and applies the EF
    /// Core migrations while the host starts, before the server takes requests.
    /// </summary>
    /// <param name="builder">The service's builder.</param>
    /// <param name="connectionName">
    /// The connection string's name, e.g. <c>keysdb</c>, read from <c>ConnectionStrings:keysdb</c> (the environment
    /// variable <c>ConnectionStrings__keysdb</c>) as the service starts; the service does not start without it.
    /// </param>
    /// <param name="configureNpgsql">
    /// Optional further Npgsql settings (a migrations assembly, a history table in the service's schema, ...).
    /// </param>
    public static IHostApplicationBuilder AddSentryFlowDbContext<TContext>(
        this IHostApplicationBuilder builder,
        string connectionName,
        Action<NpgsqlDbContextOptionsBuilder>? configureNpgsql = null)
        where TContext : DbContext
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionName);

        // Fails early, naming the variable, rather than deep inside the integration.
        ConnectionStrings.GetRequired(builder.Configuration, connectionName);
        builder.AddNpgsqlDbContext<TContext>(connectionName,
            configureDbContextOptions: options => options.UseNpgsql(npgsql => configureNpgsql?.Invoke(npgsql)));
        builder.Services.AddHostedService<DatabaseMigrator<TContext>>();

        return builder;
    }
}
