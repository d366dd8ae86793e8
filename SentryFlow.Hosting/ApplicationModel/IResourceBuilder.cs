namespace SentryFlow.Hosting.ApplicationModel;

/// <summary>A resource being declared, and the builder it belongs to, for fluent <c>With…</c> calls.</summary>
public interface IResourceBuilder<out T> where T : Resource
{
    T Resource { get; }

    DistributedApplicationBuilder ApplicationBuilder { get; }
}
