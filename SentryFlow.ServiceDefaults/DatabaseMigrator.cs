using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace SentryFlow.ServiceDefaults;

/// <summary>
/// Brings <typeparamref name="TContext"/>'s database up to date while the host starts: waits for the
/// PostgreSQL server (retrying connection failures for up to <see cref="ServerWaitLimit"/>), creates the
/// database if it is missing and applies the pending EF Core migrations. It does its work in
/// <see cref="StartAsync"/>, so the web server, which starts after the other hosted services, takes no
/// request before the schema exists; if the work fails, the host fails to start.
/// </summary>
public sealed partial class DatabaseMigrator<TContext>(
    IServiceScopeFactory scopeFactory,
    ILogger<DatabaseMigrator<TContext>> logger) : IHostedService
    where TContext : DbContext
{
    /// <summary>How long to keep retrying while the PostgreSQL server cannot be reached.</summary>
    public static readonly TimeSpan ServerWaitLimit = TimeSpan.FromSeconds(30);

    /// <summary>How long one migration's command may run.</summary>
    public static readonly TimeSpan MigrationTimeout = TimeSpan.FromHours(1);

    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);

    /// <inheritdoc />
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        await using var scope = scopeFactory.CreateAsyncScope();
        var context = scope.ServiceProvider.GetRequiredService<TContext>();
        var connectionString = context.Database.GetConnectionString()
            ?? throw new InvalidOperationException($"{typeof(TContext).Name} has no connection string.");
        var database = new NpgsqlConnectionStringBuilder(connectionString).Database ?? "(default)";

        if (!await WaitForServerAsync(connectionString, database, cancellationToken))
        {
            LogCreatingDatabase(logger, database);
            try
            {
                await context.GetService<IRelationalDatabaseCreator>().CreateAsync(cancellationToken);
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.DuplicateDatabase)
            {
                // Another instance created it between our check and our CREATE DATABASE: fine.
            }
        }

        // Creating the history table first spares a fresh database EF Core's failed (and logged) query for it.
        await context.GetService<IHistoryRepository>().CreateIfNotExistsAsync(cancellationToken);

        // A migration that fills a new table from a large one (roll-ups over millions of rows) takes minutes: the
        // queries' 30-second timeout would cancel it again and again.
        context.Database.SetCommandTimeout(MigrationTimeout);
        await context.Database.MigrateAsync(cancellationToken);

        var migrations = context.Database.GetMigrations().ToList();
        if (migrations.Count == 0)
        {
            LogNoMigrations(logger, database, typeof(TContext).Name, stopwatch.ElapsedMilliseconds);
        }
        else
        {
            var applied = (await context.Database.GetAppliedMigrationsAsync(cancellationToken)).ToList();
            LogMigrated(logger, database, applied.Count, applied.LastOrDefault() ?? "(none)",
                typeof(TContext).Name, stopwatch.ElapsedMilliseconds);
        }
    }

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    // Opens a plain connection (outside EF Core's execution strategy, so the wait is bounded) until the
    // server answers. Returns whether the database exists.
    private async Task<bool> WaitForServerAsync(string connectionString, string database, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                return true;
            }
            catch (PostgresException exception) when (exception.SqlState == PostgresErrorCodes.InvalidCatalogName)
            {
                return false;
            }
            catch (NpgsqlException exception) when (exception.IsTransient && stopwatch.Elapsed < ServerWaitLimit)
            {
                LogWaiting(logger, database, attempt, exception.Message);
                await Task.Delay(RetryDelay, cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "PostgreSQL is not reachable yet for database {Database} (attempt {Attempt}): {Reason}; retrying")]
    private static partial void LogWaiting(ILogger logger, string database, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database {Database} does not exist; creating it")]
    private static partial void LogCreatingDatabase(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Database {Database} is ready; {Context} has no migrations yet ({ElapsedMs} ms)")]
    private static partial void LogNoMigrations(ILogger logger, string database, string context, long elapsedMs);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Database {Database} is up to date: {Count} migration(s) applied, the latest {Latest}, for {Context} ({ElapsedMs} ms)")]
    private static partial void LogMigrated(ILogger logger, string database, int count, string latest, string context, long elapsedMs);
}
