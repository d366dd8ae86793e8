using Aspire.Hosting.ApplicationModel;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>A Redis server run from Debian's packages (see <see cref="RedisServer"/>), its snapshots in <paramref name="folder"/>.</summary>
public sealed class LocalRedisResource(string name, ParameterResource password, string folder)
    : ExecutableResource(name, RedisServer.Package.ProbePath, folder), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";

    public ParameterResource PasswordParameter { get; } = password;

    public string Folder { get; } = folder;

    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)},password={PasswordParameter}");

    /// <summary>Set before the server starts.</summary>
    internal string? ConfigurationPath { get; set; }
}
