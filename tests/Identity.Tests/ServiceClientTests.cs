using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.IdentityModel.JsonWebTokens;
using SentryFlow.Contracts;
using SentryFlow.ServiceDefaults.Authentication;
using SentryFlow.Testing;
using static SentryFlow.Testing.ApiServiceHost;

namespace SentryFlow.Identity.Tests;

/// <summary>SentryFlow's own services sign in as service clients registered from configuration.</summary>
public sealed class ServiceClientTests(IdentityFactory factory) : IClassFixture<IdentityFactory>
{
    private readonly IdentityClient _identity = new(factory);

    [Fact]
    public async Task A_configured_service_client_gets_a_service_token_that_passes_only_internal_policies()
    {
        using var services = TokenSourceServices(IdentityFactory.ServiceClientSecret);
        var source = services.GetRequiredService<IServiceTokenSource>();

        var token = await source.GetTokenAsync(CancellationToken.None);

        var jwt = new JsonWebToken(token);
        Assert.Equal($"service:{IdentityFactory.ServiceClientId}", jwt.Subject);
        Assert.Contains(jwt.Claims, c => c.Type == "role" && c.Value == "service");
        Assert.DoesNotContain(jwt.Claims, c => c.Type is "org_role" or "project_role");
        Assert.Same(token, await source.GetTokenAsync(CancellationToken.None)); // kept until shortly before it expires

        await using var api = await ApiServiceHost.StartAsync(factory);
        using var asService = await CallAsync(api, "/internal", token);
        Assert.Equal(HttpStatusCode.OK, asService.StatusCode);
        using var serviceOnProjectData = await CallAsync(api, $"/projects/{Guid.NewGuid()}/data", token);
        Assert.Equal(HttpStatusCode.Forbidden, serviceOnProjectData.StatusCode);

        var email = IdentityClient.NewEmail();
        await _identity.RegisterAsync(email);
        using var asUser = await CallAsync(api, "/internal", (await _identity.SignInAsync(email)).AccessToken);
        Assert.Equal(HttpStatusCode.Forbidden, asUser.StatusCode);
    }

    [Fact]
    public async Task A_wrong_service_secret_is_refused()
    {
        using var services = TokenSourceServices("not-the-secret");

        var failure = await Assert.ThrowsAsync<HttpRequestException>(
            async () => await services.GetRequiredService<IServiceTokenSource>().GetTokenAsync(CancellationToken.None));

        Assert.Contains("invalid_client", failure.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-secret", failure.Message, StringComparison.Ordinal);
    }

    private ServiceProvider TokenSourceServices(string secret)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [AuthenticationExtensions.AuthorityKey] = factory.Server.BaseAddress.ToString(),
            [ClientCredentialsTokenSource.IdKey] = IdentityFactory.ServiceClientId,
            [ClientCredentialsTokenSource.SecretKey] = secret,
        }).Build());
        services.AddHttpClient(SentryFlowResources.Identity).ConfigurePrimaryHttpMessageHandler(() => factory.Server.CreateHandler());
        services.AddHttpClient("caller").AddServiceToken();
        return services.BuildServiceProvider();
    }

}
