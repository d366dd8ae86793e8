using System.Net.Http.Json;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using SentryFlow.Contracts.Authorization;

namespace SentryFlow.ServiceDefaults.Authentication;

/// <summary>
/// Asks identity (<see cref="TokenAccessRequest.Path"/> under the authority JwtBearer uses, through the same client that
/// fetches its keys) what tokens may do, in batches of <see cref="TokenAccessRequest.MaxTokens"/>.
/// </summary>
public sealed class IdentityTokenAccessSource(IOptionsMonitor<JwtBearerOptions> jwtBearer) : ITokenAccessSource
{
    /// <summary>How long one call may take before identity counts as unreachable (someone may be waiting on it).</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(2);

    public async Task<IReadOnlyList<TokenAccess>> FetchAsync(IReadOnlyList<string> tokens, CancellationToken cancellationToken)
    {
        var options = jwtBearer.Get(JwtBearerDefaults.AuthenticationScheme);
        var client = options.Backchannel ?? throw new InvalidOperationException("JwtBearer has no backchannel to identity.");
        var endpoint = new Uri(new Uri(options.Authority!.TrimEnd('/') + "/"), TokenAccessRequest.Path);
        var answers = new List<TokenAccess>(tokens.Count);
        foreach (var batch in tokens.Chunk(TokenAccessRequest.MaxTokens))
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CallTimeout);
            using var response = await client.PostAsJsonAsync(endpoint, new TokenAccessRequest(batch), timeout.Token);
            response.EnsureSuccessStatusCode();
            var answer = await response.Content.ReadFromJsonAsync<TokenAccessResponse>(timeout.Token);
            if (answer?.Results is not { } results || results.Count != batch.Length)
            {
                throw new HttpRequestException("Identity's token access answer does not match the request.");
            }

            answers.AddRange(results);
        }

        return answers;
    }
}
