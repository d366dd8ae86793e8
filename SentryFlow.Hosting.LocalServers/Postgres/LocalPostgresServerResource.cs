using Aspire.Hosting.ApplicationModel;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>A PostgreSQL server run from Debian's packages (see <see cref="PostgresServer"/>), its data in <paramref name="folder"/>.</summary>
public sealed class LocalPostgresServerResource(string name, ParameterResource password, string folder)
    : ExecutableResource(name, "/bin/sh", folder), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    public ParameterResource PasswordParameter { get; } = password;

    /// <summary>The folder that holds the cluster (or names its fallback: see <see cref="PostgresServer.InitializeAsync"/>).</summary>
    public string Folder { get; } = folder;

    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username=postgres;Password={PasswordParameter}");

    /// <summary>The databases declared with <c>AddDatabase</c>, created once the server is ready.</summary>
    public IList<LocalPostgresDatabaseResource> Databases { get; } = [];

    /// <summary>Set before the server starts, once the cluster exists.</summary>
    internal string? DataDirectory { get; set; }
}
