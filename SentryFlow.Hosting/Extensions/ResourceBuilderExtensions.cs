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
}
