using System.Runtime.CompilerServices;
using SentryFlow.Hosting.LocalServers;

namespace SentryFlow.AppHost;

/// <summary>
/// The servers SentryFlow needs, declared per mode: in publish mode Aspire's own containers (what azd deploys); in run
/// mode local processes from Debian's packages (<c>SentryFlow.Hosting.LocalServers</c>), since no container runtime
/// runs here, with their data and generated passwords in the state folder.
/// </summary>
internal static class ServerResources
{
    // The deployed servers are the major versions the tests run against here (Debian 12's packages); RabbitMQ 3.10 is
    // out of support, so the nearest supported release of the 3 line.
    private const string PostgresImageTag = "15";
    private const string RedisImageTag = "7.4";
    private const string RabbitMQImageTag = "3.13";
    private const string CleanOption = "--clean";
    private const string StateDirectoryKey = "state-dir";
    private static readonly ConditionalWeakTable<IDistributedApplicationBuilder, StateDirectory> States = [];
    private static bool s_clean;

    /// <summary>
    /// Takes <c>--clean</c> (start from nothing: delete the data and passwords earlier runs kept) out of the arguments,
    /// since Aspire's command-line configuration would read the next argument as its value. <c>--state-dir DIR</c>
    /// stays: it is read from configuration.
    /// </summary>
    public static string[] WithoutStateOptions(this string[] args)
    {
        s_clean = args.Contains(CleanOption);
        return [.. args.Where(argument => argument != CleanOption)];
    }

    public static IResourceBuilder<IResourceWithConnectionString> AddPostgresServer(this IDistributedApplicationBuilder builder, string name) =>
        builder.ExecutionContext.IsPublishMode
            ? builder.AddPostgres(name).WithImageTag(PostgresImageTag).WithDataVolume()
            : builder.AddLocalPostgres(name, builder.AddKeptSecret($"{name}-password", builder.State()), builder.State());

    public static IResourceBuilder<IResourceWithConnectionString> AddDatabase(this IResourceBuilder<IResourceWithConnectionString> server, string name) =>
        server switch
        {
            IResourceBuilder<PostgresServerResource> container => PostgresBuilderExtensions.AddDatabase(container, name),
            IResourceBuilder<LocalPostgresServerResource> local => LocalServerBuilderExtensions.AddDatabase(local, name),
            _ => throw new ArgumentException($"'{server.Resource.Name}' is not a PostgreSQL server.", nameof(server)),
        };

    public static IResourceBuilder<IResourceWithConnectionString> AddRedisServer(this IDistributedApplicationBuilder builder, string name) =>
        builder.ExecutionContext.IsPublishMode
            ? builder.AddRedis(name).WithImageTag(RedisImageTag).WithDataVolume()
            : builder.AddLocalRedis(name, builder.AddKeptSecret($"{name}-password", builder.State()), builder.State());

    public static IResourceBuilder<IResourceWithConnectionString> AddRabbitMQServer(this IDistributedApplicationBuilder builder, string name) =>
        builder.ExecutionContext.IsPublishMode
            ? builder.AddRabbitMQ(name).WithImageTag(RabbitMQImageTag).WithDataVolume()
            : builder.AddLocalRabbitMQ(name, builder.AddKeptSecret($"{name}-password", builder.State()), builder.State());

    /// <summary>A secret the AppHost generates: kept in the state folder in run mode, an input of the deployment when published.</summary>
    public static IResourceBuilder<ParameterResource> AddGeneratedSecret(this IDistributedApplicationBuilder builder, string name) =>
        builder.ExecutionContext.IsPublishMode
            ? builder.AddParameter(name, new GenerateParameterDefault { MinLength = 32, Special = false }, secret: true)
            : builder.AddKeptSecret(name, builder.State());

    /// <summary>A folder of the state folder only the AppHost's user may read, for <paramref name="resourceName"/>'s files.</summary>
    public static string StateFolder(this IDistributedApplicationBuilder builder, string resourceName) => builder.State().For(resourceName);

    /// <summary><c>--state-dir DIR</c>, by default <c>.state</c> at the solution root (git-ignored); emptied first with <c>--clean</c>.</summary>
    private static StateDirectory State(this IDistributedApplicationBuilder builder) =>
        States.GetValue(builder, _ =>
        {
            var state = new StateDirectory(builder.Configuration[StateDirectoryKey] ?? Path.Combine(builder.AppHostDirectory, "..", ".state"));
            if (s_clean)
            {
                state.Clean();
            }

            return state;
        });
}
