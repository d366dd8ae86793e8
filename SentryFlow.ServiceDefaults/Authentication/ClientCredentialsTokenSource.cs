using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using SentryFlow.Contracts;

namespace SentryFlow.ServiceDefaults.Authentication;

/// <summary>
/// Signs this service in to identity by client credentials (<c>ServiceClient:Id</c> and <c>ServiceClient:Secret</c>,
/// which the AppHost gives both sides) and keeps the access token until a minute before it expires, so a call to
/// another service costs a token request only every quarter of an hour.
/// </summary>
public sealed class ClientCredentialsTokenSource(IHttpClientFactory httpClients, IConfiguration configuration, TimeProvider time)
    : IServiceTokenSource, IDisposable
{
    public const string IdKey = "ServiceClient:Id";
    public const string SecretKey = "ServiceClient:Secret";

    private static readonly TimeSpan RenewBefore = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _renewing = new(1, 1);
    private (string Token, DateTimeOffset RenewAt)? _current;

    public async ValueTask<string> GetTokenAsync(CancellationToken cancellationToken)
    {
        if (_current is { } current && time.GetUtcNow() < current.RenewAt)
        {
            return current.Token;
        }

        await _renewing.WaitAsync(cancellationToken);
        try
        {
            if (_current is { } renewed && time.GetUtcNow() < renewed.RenewAt)
            {
                return renewed.Token;
            }

            var token = await RequestAsync(cancellationToken);
            _current = (token.AccessToken, time.GetUtcNow() + TimeSpan.FromSeconds(token.ExpiresIn) - RenewBefore);
            return token.AccessToken;
        }
        finally
        {
            _renewing.Release();
        }
    }

    public void Dispose() => _renewing.Dispose();

    private async Task<TokenResponse> RequestAsync(CancellationToken cancellationToken)
    {
        var id = configuration[IdKey];
        var secret = configuration[SecretKey];
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(secret))
        {
            throw new InvalidOperationException($"This service calls another one but has no service client: set {IdKey} and {SecretKey}.");
        }

        var authority = configuration[AuthenticationExtensions.AuthorityKey] ?? $"http://{SentryFlowResources.Identity}";
        using var client = httpClients.CreateClient(SentryFlowResources.Identity);
        using var response = await client.PostAsync(new Uri(new Uri(authority), "/connect/token"), new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "client_credentials",
            ["client_id"] = id,
            ["client_secret"] = secret,
        }), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            // The body is OpenIddict's error (never the secret).
            throw new HttpRequestException($"Identity refused the service client '{id}': {(int)response.StatusCode} {await response.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
            ?? throw new HttpRequestException("Identity answered no token.");
    }

    private sealed record TokenResponse([property: JsonPropertyName("access_token")] string AccessToken, [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
