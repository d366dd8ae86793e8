extern alias keys;

using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentryFlow.Testing;

namespace SentryFlow.Identity.Tests;

/// <summary>
/// The identity service and, beside it, the real keys service checking identity's tokens as it does in a deployment
/// (discovery, keys and token access through identity), to watch access changes made in identity take effect there.
/// </summary>
public sealed class KeysBesideIdentity : IAsyncLifetime
{
    public IdentityFactory Identity { get; } = new();

    public ServiceFactory<keys::Program> Keys { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        await Identity.InitializeAsync();
        _ = Identity.Server; // started, so its address is known
        Keys = new ServiceFactory<keys::Program>
        {
            TrustTestTokens = false,
            ConfigureTestServices = services => services.Configure<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme,
                options => options.Backchannel = new HttpClient(Identity.Server.CreateHandler())),
        };
        Keys.Settings[AuthenticationExtensions.AuthorityKey] = Identity.Server.BaseAddress.ToString();
        await Keys.InitializeAsync();
        _ = Keys.Server;
    }

    public async Task DisposeAsync()
    {
        await Keys.DisposeAsync();
        await Identity.DisposeAsync();
    }
}
