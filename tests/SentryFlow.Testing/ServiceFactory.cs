using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
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

    public ServiceFactory()
    {
    }

    /// <summary>A second instance of the same service on the same database, Redis and virtual host (as in a scaled-out deployment).</summary>
    public static ServiceFactory<TProgram> SiblingOf(ServiceFactory<TProgram> sibling) => new(sibling);

    private ServiceFactory(ServiceFactory<TProgram> sibling)
    {
        DatabaseName = sibling.DatabaseName;
        Servers = sibling.Servers;
        TrustTestTokens = sibling.TrustTestTokens;
        foreach (var (name, value) in sibling._connectionStrings)
        {
            _connectionStrings[name] = value;
        }

        foreach (var (name, value) in sibling.Settings)
        {
            Settings[name] = value;
        }
    }

    public TestServers Servers { get; private set; } = null!;

    /// <summary>Replaces services after the service registered its own (e.g. a controllable clock).</summary>
    public Action<IServiceCollection>? ConfigureTestServices { get; set; }

    /// <summary>Further configuration for the service (set before the host starts), e.g. shorter lockouts.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>The database (and virtual host) this host was given; unique unless set (a benchmark reusing its data).</summary>
    public string DatabaseName { get; init; } =
        $"{typeof(TProgram).Assembly.GetName().Name!.Split('.')[0].ToLowerInvariant()}_{Guid.NewGuid():n}";

    /// <summary>The connection string the service was given for <paramref name="name"/> (e.g. <c>messaging</c>).</summary>
    public string ConnectionString(string name) => _connectionStrings[$"ConnectionStrings:{name}"]!;

    /// <summary>
    /// Starts the service and waits until its bus is connected. The host's start does not wait for it (MassTransit's
    /// default), so a test publishing at once could publish before the service's queues are bound, and RabbitMQ
    /// drops a message no queue is bound for: on a loaded machine the records simply never arrived.
    /// </summary>
    public async Task StartWithBusAsync()
    {
        var status = await Services.GetRequiredService<IBusControl>().WaitForHealthStatus(BusHealthStatus.Healthy, TimeSpan.FromSeconds(60));
        Assert.Equal(BusHealthStatus.Healthy, status);
    }

    public async Task InitializeAsync()
    {
        if (_connectionStrings.Count > 0)
        {
            return; // a sibling's
        }

        Servers = await TestServers.GetAsync();
        foreach (var database in SentryFlowResources.Databases)
        {
            _connectionStrings[$"ConnectionStrings:{database}"] = Servers.PostgresDatabase(DatabaseName);
        }

        _connectionStrings[$"ConnectionStrings:{SentryFlowResources.Redis}"] = Servers.RedisConnectionString;
        _connectionStrings[$"ConnectionStrings:{SentryFlowResources.Messaging}"] = await Servers.MessagingVirtualHostAsync(DatabaseName);
    }

    /// <summary>
    /// Whether the service trusts <see cref="TestTokens"/> (the default); false for a service that checks tokens against
    /// a real identity service, set up through <see cref="ConfigureTestServices"/>.
    /// </summary>
    public bool TrustTestTokens { get; init; } = true;

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services =>
        {
            if (TrustTestTokens)
            {
                TestTokens.Trust(services);
            }

            TestTokens.SignServiceCalls(services);
            ConfigureTestServices?.Invoke(services);
        });

    /// <summary>
    /// The host environment the service runs in: Development for tests (scope validation, the developer exception
    /// page); a benchmark sets Production, which is what a deployment runs.
    /// </summary>
    public string EnvironmentName { get; init; } = Environments.Development;

    protected override IHost CreateHost(IHostBuilder builder)
    {
        builder.UseEnvironment(EnvironmentName);
        builder.ConfigureHostConfiguration(config => config.AddInMemoryCollection(_connectionStrings).AddInMemoryCollection(Settings));
        return base.CreateHost(builder);
    }

    async Task IAsyncLifetime.DisposeAsync() => await DisposeAsync();
}
