using System.Net.Http.Json;
using SentryFlow.Contracts.Analytics;

namespace SentryFlow.Alerting.Evaluation;

/// <summary>Analytics' rule query endpoint (<c>http://analytics</c> through service discovery), called with alerting's own service token.</summary>
public sealed class AnalyticsRuleQueries(HttpClient analytics)
{
    public async Task<RuleQueryResponse> QueryAsync(Guid projectId, RuleQueryRequest request, CancellationToken cancellationToken)
    {
        using var response = await analytics.PostAsJsonAsync($"/internal/v1/projects/{projectId}/rule-query", request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"The rule query answered {(int)response.StatusCode}.", null, response.StatusCode);
        }

        return await response.Content.ReadFromJsonAsync<RuleQueryResponse>(cancellationToken)
            ?? throw new HttpRequestException("The rule query answered nothing.");
    }
}
