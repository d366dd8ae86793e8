using SentryFlow.Hosting.ApplicationModel;
using SentryFlow.Hosting.Publishing;

namespace SentryFlow.Hosting.Servers;

/// <summary>A database inside a PostgreSQL server; ready once the server is healthy and the database exists.</summary>
public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent) : Resource(name), IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public PostgresServerResource Parent { get; } = parent;

    public string ConnectionString => $"{Parent.ConnectionString};Database={DatabaseName}";

    public string ConnectionStringExpression => $"{{{Parent.Name}.connectionString}};Database={DatabaseName}";

    public override IEnumerable<string> Urls => [$"{Parent.Urls.First()}/{DatabaseName}"];

    internal override void WriteManifest(ManifestWriter writer) => writer.WriteValue(Name, ConnectionStringExpression);
}
