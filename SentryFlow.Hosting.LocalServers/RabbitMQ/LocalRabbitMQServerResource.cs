using Aspire.Hosting.ApplicationModel;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>A RabbitMQ broker run from Debian's packages (see <see cref="RabbitMQServer"/>), its node in <paramref name="folder"/>.</summary>
public sealed class LocalRabbitMQServerResource(string name, ParameterResource password, string folder)
    : ExecutableResource(name, RabbitMQServer.Package.ProbePath, folder), IResourceWithConnectionString
{
    internal const string EndpointName = "tcp";
    internal const string DistributionEndpointName = "distribution";

    public ParameterResource PasswordParameter { get; } = password;

    public string Folder { get; } = folder;

    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointName);

    public EndpointReference DistributionEndpoint => field ??= new(this, DistributionEndpointName);

    /// <summary>The password as it goes into a URI (escaped when the connection string is resolved).</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://{RabbitMQServer.User}:{PasswordParameter:uri}@{PrimaryEndpoint.Property(EndpointProperty.Host)}:{PrimaryEndpoint.Property(EndpointProperty.Port)}");
}
