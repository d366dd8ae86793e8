using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts;
using Xunit;

namespace SentryFlow.Testing;

/// <summary>
/// One service, in-process, against the real servers (as eShop's functional tests do): its own database and
/// RabbitMQ virtual host, named uniquely so parallel test runs never share data. Every database connection name
/// points at that one database, so the factory needs no knowledge of which one the service uses.
/// </summary>
public class ServiceFactory<TProgram> : WebApplicationFactory<TProgram>, IAsyncLifetime where TProgram : class
{
    private readonly Dictionary<string, string?> _connectionStrings = [];

    public TestServers Servers { get; private set; } = null!;

    /// <summary>Further configuration for the service (set before the host starts), e.g. shorter lockouts.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>The database (and virtual host) this host was given.</summary>
    public string DatabaseName { get; } =
        $"{typeof(TProgram).Assembly.GetName().Name!.Split('.')[0].ToLowerInvariant()}_{Guid.NewGuid():n}";

    /// <summary>The connection string the service was given for <paramref name="name"/> (e.g. <c>messaging</c>).</summary>
    public string ConnectionString(string name) => _connectionStrings[$"ConnectionStrings:{name}"]!;

    public async Task InitializeAsync()
    {
        Servers = await TestServers.GetAsync();
        foreach (var database in SentryFlowResources.Databases)
        {
            _connectionStrings[$"ConnectionStrings:{database}"] = Servers.PostgresDatabase(DatabaseName);
        }

        _connectionStrings[$"ConnectionStrings:{SentryFlowResources.Redis}"] = Servers.Redis.ConnectionString;
        _connectionStrings[$"ConnectionStrings:{SentryFlowResources.Messaging}"] = await Servers.MessagingVirtualHostAsync(DatabaseName);
    }

    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(_connectionStrings).AddInMemoryCollection(Settings));
        return base.CreateHost(builder);
    }

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
