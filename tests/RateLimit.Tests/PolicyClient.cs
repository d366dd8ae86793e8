using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SentryFlow.Testing;

namespace SentryFlow.RateLimit.Tests;

/// <summary>Helpers for the policy and check APIs.</summary>
public static class PolicyClient
{
    public static string PoliciesPath(Guid projectId) => $"/api/projects/{projectId}/ratelimit/policies";

    public static async Task<JsonElement> CreatePolicyAsync(this HttpClient admin, Guid projectId, object policy)
    {
        using var response = await admin.PostAsJsonAsync(PoliciesPath(projectId), policy);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static object Policy(string name, string algorithm, long limit, int windowSeconds, string[]? partitionBy = null, string failureMode = "open", string[]? routes = null, long? burst = null) => new
    {
        name,
        algorithm,
        partitionBy = partitionBy ?? ["keyId"],
        routes = routes ?? [],
        limits = new[] { new { name = "main", limit, windowSeconds, burst } },
        failureMode,
    };

    public static async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> CheckAsync(this HttpClient client, object request)
    {
        var response = await client.PostAsJsonAsync("/v1/ratelimit/check", request);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, body.Length == 0 ? default : JsonDocument.Parse(body).RootElement.Clone(), response);
    }

    public static Task<JsonElement> AssertValidationProblemAsync(HttpResponseMessage response, string field) =>
        ProblemAssert.ValidationAsync(response, field);
}
