using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using SentryFlow.Hosting.LocalServers;

namespace Aspire.Hosting;

/// <summary>
/// <c>AddLocalPostgres</c>, <c>AddLocalRedis</c>, <c>AddLocalRabbitMQ</c>: the servers as executables from Debian's
/// packages, for run mode on a machine without a container runtime. Each is installed with apt-get when missing (as
/// root; otherwise the start fails with the exact command), keeps its data in the state folder, listens on
/// 127.0.0.1 on a port DCP picks, and is healthy when it answers its own protocol.
/// </summary>
public static class LocalServerBuilderExtensions
{
    private static readonly TimeSpan HealthCheckTimeout = TimeSpan.FromSeconds(5);

    private static readonly DebianPackage[] Packages = [PostgresServer.Package, RedisServer.Package, RabbitMQServer.Package];

    /// <summary>
    /// A secret parameter: <c>Parameters:{name}</c> from configuration (the environment variable
    /// <c>Parameters__{name}</c>) or else generated once and kept in the state folder, so data created with it stays usable.
    /// </summary>
    public static IResourceBuilder<ParameterResource> AddKeptSecret(this IDistributedApplicationBuilder builder, string name, StateDirectory state)
    {
        var key = $"Parameters:{name}";
        if (string.IsNullOrEmpty(builder.Configuration[key]))
        {
            builder.Configuration[key] = state.GetOrCreateSecret(name, 22);
        }

        return builder.AddParameter(name, secret: true);
    }

    public static IResourceBuilder<LocalPostgresServerResource> AddLocalPostgres(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> password, StateDirectory state)
    {
        var server = new LocalPostgresServerResource(name, password.Resource, state.For(name));
        // Aspire passes a parent's state on to its children only for containers: a database is Running once it exists.
        builder.Eventing.Subscribe<ResourceReadyEvent>(server, async (@event, cancellationToken) =>
        {
            var connectionString = await ServerConnectionStringAsync(server, cancellationToken);
            var notifications = @event.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var database in server.Databases)
            {
                await PostgresServer.EnsureDatabaseAsync(connectionString, database.DatabaseName, cancellationToken);
                await notifications.PublishUpdateAsync(database, snapshot => snapshot with
                {
                    State = KnownResourceStates.Running,
                    StartTimeStamp = DateTime.UtcNow,
                });
            }
        });

        return builder.AddResource(server)
            .WithEndpoint(name: LocalPostgresServerResource.EndpointName, scheme: "tcp", isProxied: false)
            .AsLocalServer(state,
                async (log, cancellationToken) => server.DataDirectory = await PostgresServer.InitializeAsync(
                    server.Folder, await password.Resource.GetValueAsync(cancellationToken) ?? "", log, cancellationToken),
                async cancellationToken => await PostgresServer.CheckHealthAsync(
                    await ServerConnectionStringAsync(server, cancellationToken) + ";Database=postgres", cancellationToken))
            .WithArgs(context =>
            {
                var command = PostgresServer.Command(server.DataDirectory!, server.PrimaryEndpoint.Port).StoppedBy(PostgresServer.StopSignal);
                foreach (var argument in command.Arguments)
                {
                    context.Args.Add(argument);
                }
            })
            .WithIconName("DatabaseMultiple");
    }

    /// <summary>A database of the server, created once the server is ready; healthy once it accepts a connection.</summary>
    public static IResourceBuilder<LocalPostgresDatabaseResource> AddDatabase(
        this IResourceBuilder<LocalPostgresServerResource> server, string name, string? databaseName = null)
    {
        var database = new LocalPostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.Databases.Add(database);
        var key = $"{name}_check";
        server.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(key,
            _ => new ServerHealthCheck(async cancellationToken => await PostgresServer.CheckHealthAsync(
                await database.ConnectionStringExpression.GetValueAsync(cancellationToken) ?? "", cancellationToken)),
            HealthStatus.Unhealthy, tags: null, HealthCheckTimeout));
        return server.ApplicationBuilder.AddResource(database).WithHealthCheck(key).ExcludeFromManifest();
    }

    public static IResourceBuilder<LocalRedisResource> AddLocalRedis(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> password, StateDirectory state)
    {
        var server = new LocalRedisResource(name, password.Resource, state.For(name));
        return builder.AddResource(server)
            .WithEndpoint(name: LocalRedisResource.EndpointName, scheme: "tcp", isProxied: false)
            .AsLocalServer(state,
                async (_, cancellationToken) => server.ConfigurationPath = await RedisServer.WriteConfigurationAsync(
                    server.Folder, await password.Resource.GetValueAsync(cancellationToken) ?? "", persistent: true, cancellationToken),
                async cancellationToken => await RedisServer.CheckHealthAsync(
                    server.PrimaryEndpoint.Port, await password.Resource.GetValueAsync(cancellationToken) ?? "", cancellationToken))
            .WithArgs(context =>
            {
                foreach (var argument in RedisServer.Command(server.ConfigurationPath!, server.PrimaryEndpoint.Port).Arguments)
                {
                    context.Args.Add(argument);
                }
            })
            .WithIconName("Memory");
    }

    /// <summary>The broker, and its port mapper (<c>{name}-epmd</c>) as a child resource it waits for.</summary>
    public static IResourceBuilder<LocalRabbitMQServerResource> AddLocalRabbitMQ(
        this IDistributedApplicationBuilder builder, string name, IResourceBuilder<ParameterResource> password, StateDirectory state)
    {
        var folder = state.For(name);
        var epmdResource = new EpmdResource($"{name}-epmd", folder);
        int EpmdPort() => epmdResource.PrimaryEndpoint.Port;
        var epmd = builder.AddResource(epmdResource)
            .WithEndpoint(name: EpmdResource.EndpointName, scheme: "tcp", isProxied: false)
            .AsLocalServer(state,
                (_, _) => Task.CompletedTask,
                cancellationToken => RabbitMQServer.CheckEpmdHealthAsync(EpmdPort(), cancellationToken))
            .WithArgs(context =>
            {
                foreach (var argument in RabbitMQServer.EpmdCommand(EpmdPort()).Arguments)
                {
                    context.Args.Add(argument);
                }
            });

        var server = new LocalRabbitMQServerResource(name, password.Resource, folder);
        epmd.WithParentRelationship(server);
        return builder.AddResource(server)
            .WithEndpoint(name: LocalRabbitMQServerResource.EndpointName, scheme: "tcp", isProxied: false)
            .WithEndpoint(name: LocalRabbitMQServerResource.DistributionEndpointName, scheme: "tcp", isProxied: false)
            .AsLocalServer(state,
                async (_, cancellationToken) => await RabbitMQServer.PrepareAsync(
                    folder, await password.Resource.GetValueAsync(cancellationToken) ?? "", cancellationToken),
                cancellationToken => RabbitMQServer.CheckHealthAsync(server.PrimaryEndpoint.Port, cancellationToken))
            .WithEnvironment(context =>
            {
                foreach (var (variable, value) in RabbitMQServer.Environment(
                    folder, server.PrimaryEndpoint.Port, server.DistributionEndpoint.Port, EpmdPort()))
                {
                    context.EnvironmentVariables[variable] = value;
                }
            })
            .WaitFor(epmd)
            .WithIconName("Mail");
    }

    /// <summary>
    /// What every local server shares: its packages installed and <paramref name="prepare"/> run (config files, initdb)
    /// just before it starts, logging to its console in the dashboard; <paramref name="probe"/> as its health check;
    /// the state folder in its environment; and no place in the manifest (publish mode declares containers instead).
    /// </summary>
    private static IResourceBuilder<T> AsLocalServer<T>(
        this IResourceBuilder<T> builder,
        StateDirectory state,
        Func<Action<string>, CancellationToken, Task> prepare,
        Func<CancellationToken, Task<string?>> probe)
        where T : ExecutableResource
    {
        builder.ApplicationBuilder.Eventing.Subscribe<BeforeResourceStartedEvent>(builder.Resource, async (@event, cancellationToken) =>
        {
            var logger = @event.Services.GetRequiredService<ResourceLoggerService>().GetLogger(builder.Resource);
            void Log(string message) => logger.LogInformation("{Message}", message);
            await DebianPackages.EnsureInstalledAsync(Packages, Log, cancellationToken);
            await prepare(Log, cancellationToken);
        });

        var key = $"{builder.Resource.Name}_check";
        builder.ApplicationBuilder.Services.AddHealthChecks().Add(new HealthCheckRegistration(
            key, _ => new ServerHealthCheck(probe), HealthStatus.Unhealthy, tags: null, HealthCheckTimeout));
        return builder.WithHealthCheck(key)
            .WithEnvironment(StateDirectory.ProcessVariable, state.Root)
            .ExcludeFromManifest();
    }

    private static async Task<string> ServerConnectionStringAsync(LocalPostgresServerResource server, CancellationToken cancellationToken) =>
        await server.ConnectionStringExpression.GetValueAsync(cancellationToken)
            ?? throw new InvalidOperationException($"'{server.Name}' has no connection string yet.");
}
