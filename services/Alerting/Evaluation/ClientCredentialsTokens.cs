using System.Net.Http.Json;
using System.Text.Json.Serialization;
using SentryFlow.Contracts;
using SentryFlow.Contracts.Authorization;

namespace SentryFlow.Alerting.Evaluation;

/// <summary>
/// A machine client's token from identity (OAuth 2 client credentials, <c>Alerting:Identity:ClientId</c> and
/// <c>ClientSecret</c>), kept until a minute before it expires. The client's role in its organization's projects
/// (viewer is enough) is what lets alerting read their metrics.
/// </summary>
public sealed class ClientCredentialsTokens(IHttpClientFactory httpClients, IConfiguration configuration, TimeProvider time) : IServiceAccessTokens
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private string? _token;
    private DateTimeOffset _expiresAt;

    public async ValueTask<string> GetAsync(Guid projectId, CancellationToken cancellationToken)
    {
        if (_token is not null && time.GetUtcNow() < _expiresAt)
        {
            return _token;
        }

        await _refresh.WaitAsync(cancellationToken);
        try
        {
            if (_token is null || time.GetUtcNow() >= _expiresAt)
            {
                var clientId = configuration["Alerting:Identity:ClientId"]
                    ?? throw new InvalidOperationException("Alerting:Identity:ClientId is not set: alerting has no credentials for analytics.");
                using var response = await httpClients.CreateClient(SentryFlowResources.Identity).PostAsync($"http://{SentryFlowResources.Identity}/connect/token", new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "client_credentials",
                    ["client_id"] = clientId,
                    ["client_secret"] = configuration["Alerting:Identity:ClientSecret"] ?? "",
                    ["scope"] = SentryFlowClaims.ApiScope,
                }), cancellationToken);
                response.EnsureSuccessStatusCode();
                var token = await response.Content.ReadFromJsonAsync<TokenResponse>(cancellationToken)
                    ?? throw new InvalidOperationException("Identity answered no token.");
                _token = token.AccessToken;
                _expiresAt = time.GetUtcNow().AddSeconds(Math.Max(0, token.ExpiresIn - 60));
            }

            return _token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed record TokenResponse(
        [property: JsonPropertyName("access_token")] string AccessToken,
        [property: JsonPropertyName("expires_in")] int ExpiresIn);
}
