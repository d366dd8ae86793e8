namespace SentryFlow.Hosting.ApplicationModel;

/// <summary>A resource that others reach through a connection string (<c>ConnectionStrings__{name}</c>).</summary>
public interface IResourceWithConnectionString
{
    string Name { get; }

    /// <summary>The live connection string; valid once the resource has been allocated its port.</summary>
    string ConnectionString { get; }

    /// <summary>The connection string as a manifest expression, e.g. <c>{postgres.connectionString};Database=keysdb</c>.</summary>
    string ConnectionStringExpression { get; }
}
