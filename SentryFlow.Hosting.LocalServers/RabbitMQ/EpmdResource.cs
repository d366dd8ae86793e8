using Aspire.Hosting.ApplicationModel;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>The Erlang port mapper a <see cref="LocalRabbitMQServerResource"/> registers with, in the foreground on loopback.</summary>
public sealed class EpmdResource(string name, string folder) : ExecutableResource(name, "/usr/bin/epmd", folder)
{
    internal const string EndpointName = "tcp";

    public EndpointReference PrimaryEndpoint => field ??= new(this, EndpointName);
}
