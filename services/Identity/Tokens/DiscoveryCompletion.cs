using OpenIddict.Server;
using static OpenIddict.Server.OpenIddictServerEvents;

namespace SentryFlow.Identity.Tokens;

/// <summary>
/// Fills the discovery document's REQUIRED <c>response_types_supported</c> (OpenID Connect Discovery 1.0 §3, RFC 8414
/// §2), which OpenIddict leaves out when the server has no authorization endpoint. SentryFlow has none (people sign in
/// by the password grant, machines by client credentials), so the only true value is <c>none</c>: no response type
/// at an authorization endpoint. The other required members (issuer, token endpoint, JWKS, subject types, ID token
/// signing algorithms) OpenIddict writes itself. It runs after the response modes are chosen, so it adds none; the authorization endpoint is absent, as RFC 8414 allows.
/// </summary>
public sealed class DiscoveryCompletion : IOpenIddictServerHandler<HandleConfigurationRequestContext>
{
    public const string NoResponseType = "none";

    public ValueTask HandleAsync(HandleConfigurationRequestContext context)
    {
        if (context.ResponseTypes.Count == 0)
        {
            context.ResponseTypes.Add(NoResponseType);
        }

        return ValueTask.CompletedTask;
    }
}
