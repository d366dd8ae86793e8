using SentryFlow.Hosting.ApplicationModel;
using SentryFlow.Hosting.Servers;

namespace SentryFlow.Hosting;

/// <summary><c>AddPostgres</c>, <c>AddRedis</c>, <c>AddRabbitMQ</c>: the servers, each with a generated password as Aspire does.</summary>
public static class ServerBuilderExtensions
{
    public static IResourceBuilder<PostgresServerResource> AddPostgres(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new PostgresServerResource(name, builder.AddGeneratedSecret($"{name}-password").Resource));

    /// <summary>A database of the server, created once the server is healthy.</summary>
    public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> server, string name, string? databaseName = null)
    {
        var database = new PostgresDatabaseResource(name, databaseName ?? name, server.Resource);
        server.Resource.Databases.Add(database);
        return server.ApplicationBuilder.AddResource(database);
    }

    public static IResourceBuilder<RedisResource> AddRedis(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new RedisResource(name, builder.AddGeneratedSecret($"{name}-password").Resource));

    public static IResourceBuilder<RabbitMQServerResource> AddRabbitMQ(this DistributedApplicationBuilder builder, string name) =>
        builder.AddResource(new RabbitMQServerResource(name, builder.AddGeneratedSecret($"{name}-password").Resource));

    /// <summary>A project of the solution, by its path relative to the AppHost's project folder.</summary>
    public static IResourceBuilder<ProjectResource> AddProject(this DistributedApplicationBuilder builder, string name, string projectPath) =>
        builder.AddResource(new ProjectResource(name, Path.Combine(builder.AppHostDirectory, projectPath)));
}
