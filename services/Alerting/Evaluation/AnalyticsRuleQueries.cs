using System.Net.Http.Headers;
using System.Net.Http.Json;
using SentryFlow.Contracts.Analytics;

namespace SentryFlow.Alerting.Evaluation;

/// <summary>Analytics' rule query endpoint (<c>http://analytics</c> through service discovery).</summary>
public sealed class AnalyticsRuleQueries(HttpClient analytics, IServiceAccessTokens tokens)
{
    public async Task<RuleQueryResponse> QueryAsync(Guid projectId, RuleQueryRequest request, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, $"/internal/v1/projects/{projectId}/rule-query")
        {
            Content = JsonContent.Create(request),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.GetAsync(projectId, cancellationToken));
        using var response = await analytics.SendAsync(message, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The rule query answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<RuleQueryResponse>(cancellationToken)
            ?? throw new HttpRequestException("The rule query answered nothing.");
    }
}
