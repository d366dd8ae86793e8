using Microsoft.Extensions.DependencyInjection.Extensions;
using SentryFlow.ServiceDefaults.Authentication;

namespace Microsoft.Extensions.DependencyInjection;

public static class ServiceTokenExtensions
{
    /// <summary>
    /// Makes the client call as this service: each request carries the service's access token (role
    /// <c>service</c>, see <see cref="SentryFlowPolicies.InternalService"/>) from <see cref="IServiceTokenSource"/>.
    /// </summary>
    public static IHttpClientBuilder AddServiceToken(this IHttpClientBuilder builder)
    {
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.TryAddSingleton<IServiceTokenSource, ClientCredentialsTokenSource>();
        builder.Services.TryAddTransient<ServiceTokenHandler>();
        return builder.AddHttpMessageHandler<ServiceTokenHandler>();
    }
}
