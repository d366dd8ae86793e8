extern alias identity;
extern alias keys;
extern alias ratelimit;
extern alias alerting;

using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using SentryFlow.Samples.TrafficGenerator;
using SentryFlow.Samples.TrafficGenerator.Bootstrap;
using SentryFlow.Testing;

namespace SentryFlow.Demo.Tests;

/// <summary>
/// The services the demo's bootstrap talks to, in-process against the real servers: identity, and keys, rate-limit and
/// alerting checking identity's real tokens (as in a deployment), so the bootstrap signs up and signs in for real.
/// </summary>
public sealed class DemoPlatform : IAsyncLifetime
{
    public ServiceFactory<identity::Program> Identity { get; } = new();

    public ServiceFactory<keys::Program> Keys { get; private set; } = null!;

    public ServiceFactory<ratelimit::Program> RateLimit { get; private set; } = null!;

    public ServiceFactory<alerting::Program> Alerting { get; private set; } = null!;

    /// <summary>A folder for the demo's secrets files, deleted at the end.</summary>
    public string Folder { get; } = Path.Combine(Path.GetTempPath(), $"sentryflow-demo-{Guid.NewGuid():n}");

    public async Task InitializeAsync()
    {
        Identity.Settings["Identity:Throttle:SignInPerAddressPerMinute"] = "100000";
        Identity.Settings["Identity:Throttle:RegisterPerAddressPerMinute"] = "100000";
        await Identity.InitializeAsync();
        _ = Identity.Server;
        Keys = BesideIdentity<keys::Program>();
        RateLimit = BesideIdentity<ratelimit::Program>();
        Alerting = BesideIdentity<alerting::Program>();
        // Nothing to evaluate against here (no analytics): the rules are only made.
        Alerting.Settings["Alerting:EvaluationInterval"] = "01:00:00";
        foreach (var service in (IAsyncLifetime[])[Keys, RateLimit, Alerting])
        {
            await service.InitializeAsync();
        }

        _ = Keys.Server;
        _ = RateLimit.Server;
        _ = Alerting.Server;
        Directory.CreateDirectory(Folder);
    }

    /// <summary>The generator's bootstrap with <paramref name="options"/>.</summary>
    public DemoBootstrapper Bootstrapper(DemoOptions options) => new(
        new PlatformClients(Identity.CreateClient(), Keys.CreateClient(), RateLimit.CreateClient(), Alerting.CreateClient()),
        Microsoft.Extensions.Options.Options.Create(options),
        NullLogger<DemoBootstrapper>.Instance);

    /// <summary>The demo's settings for a user of its own, its files in <see cref="Folder"/>.</summary>
    public DemoOptions OptionsFor(string email, string password) => new()
    {
        Email = email,
        Password = password,
        SecretsFile = Path.Combine(Folder, $"{email}.secrets.json"),
        OrdersSettingsFile = Path.Combine(Folder, $"{email}.orders-api.json"),
    };

    public async Task DisposeAsync()
    {
        await Alerting.DisposeAsync();
        await RateLimit.DisposeAsync();
        await Keys.DisposeAsync();
        await Identity.DisposeAsync();
        Directory.Delete(Folder, recursive: true);
    }

    private ServiceFactory<TProgram> BesideIdentity<TProgram>() where TProgram : class
    {
        var service = new ServiceFactory<TProgram>
        {
            TrustTestTokens = false,
            ConfigureTestServices = services => services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
                options => options.Backchannel = new HttpClient(Identity.Server.CreateHandler())),
        };
        service.Settings[AuthenticationExtensions.AuthorityKey] = Identity.Server.BaseAddress.ToString();
        return service;
    }
}
