namespace SentryFlow.AppHost;

/// <summary>What every SentryFlow service gets from the AppHost beyond its references.</summary>
internal static class ServiceExtensions
{
    /// <summary>
    /// An HTTP endpoint (the services have no launch profiles: DCP picks the ports) and, when running, the AppHost's
    /// environment name (Development from its launch profile), which is what a service started by hand would have.
    /// </summary>
    public static IResourceBuilder<ProjectResource> AsSentryFlowService(this IResourceBuilder<ProjectResource> service)
    {
        service.WithHttpEndpoint();
        if (service.ApplicationBuilder.ExecutionContext.IsRunMode)
        {
            service.WithEnvironment("ASPNETCORE_ENVIRONMENT", service.ApplicationBuilder.Environment.EnvironmentName);
        }

        return service;
    }

    /// <summary>
    /// Lets this service call the others as itself: registers it with <paramref name="identity"/> as a service client
    /// (<c>Identity__ServiceClients__{name}</c>) with a generated secret, and gives the service the same client id and
    /// secret (<c>ServiceClient__Id</c>, <c>ServiceClient__Secret</c>); it then takes client-credentials tokens with
    /// the role <c>service</c>, which internal endpoints require.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceClient(this IResourceBuilder<ProjectResource> service, IResourceBuilder<ProjectResource> identity)
    {
        var name = service.Resource.Name;
        var secret = service.ApplicationBuilder.AddGeneratedSecret($"{name}-client-secret");
        identity.WithEnvironment($"Identity__ServiceClients__{name}", secret);
        return service
            .WithEnvironment("ServiceClient__Id", name)
            .WithEnvironment("ServiceClient__Secret", secret);
    }
}
