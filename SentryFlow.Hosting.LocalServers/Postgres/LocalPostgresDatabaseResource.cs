using Aspire.Hosting.ApplicationModel;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>A database of a <see cref="LocalPostgresServerResource"/>: its state is the server's, its health is whether it accepts a connection.</summary>
public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public LocalPostgresServerResource Parent { get; } = parent;

    public ReferenceExpression ConnectionStringExpression =>
        ReferenceExpression.Create($"{Parent};Database={DatabaseName}");
}
