using SentryFlow.Hosting.ApplicationModel;

namespace SentryFlow.Hosting;

public static class ResourceBuilderExtensions
{
    /// <summary>Injects the source's connection string (<c>ConnectionStrings__{name}</c>) or URL (<c>services__{name}__http__0</c>).</summary>
    public static IResourceBuilder<ProjectResource> WithReference<TSource>(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<TSource> source)
        where TSource : Resource
    {
        if (source.Resource is not (IResourceWithConnectionString or ProjectResource))
        {
            throw new InvalidOperationException($"'{source.Resource.Name}' has neither a connection string nor an endpoint to reference.");
        }

        builder.Resource.References.Add(source.Resource);
        return builder;
    }

    /// <summary>Starts this resource only once <paramref name="dependency"/> is running and healthy.</summary>
    public static IResourceBuilder<T> WaitFor<T, TDependency>(this IResourceBuilder<T> builder, IResourceBuilder<TDependency> dependency)
        where T : Resource
        where TDependency : Resource
    {
        builder.Resource.WaitsFor.Add(dependency.Resource);
        return builder;
    }

    public static IResourceBuilder<ProjectResource> WithEnvironment(this IResourceBuilder<ProjectResource> builder, string name, string value)
    {
        builder.Resource.Environment[name] = value;
        return builder;
    }

    /// <summary>Sets <paramref name="name"/> to the parameter's value (in the manifest, a reference to the parameter).</summary>
    public static IResourceBuilder<ProjectResource> WithEnvironment(
        this IResourceBuilder<ProjectResource> builder, string name, IResourceBuilder<ParameterResource> parameter)
    {
        builder.Resource.ParameterEnvironment[name] = parameter.Resource;
        return builder;
    }

    /// <summary>
    /// Lets this service call the others as itself: registers it with <paramref name="identity"/> as a service client
    /// (<c>Identity__ServiceClients__{name}</c>) with a generated secret, and gives the service the same client id
    /// and secret (<c>ServiceClient__Id</c>, <c>ServiceClient__Secret</c>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithServiceClient(this IResourceBuilder<ProjectResource> builder, IResourceBuilder<ProjectResource> identity)
    {
        var name = builder.Resource.Name;
        var secret = builder.ApplicationBuilder.AddGeneratedSecret($"{name}-client-secret", 32);
        identity.WithEnvironment($"Identity__ServiceClients__{name}", secret);
        if (!builder.Resource.References.Contains(identity.Resource))
        {
            builder.WithReference(identity); // for the token endpoint
        }

        return builder.WithEnvironment("ServiceClient__Id", name)
            .WithEnvironment("ServiceClient__Secret", secret);
    }
}
