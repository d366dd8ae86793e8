using System.Net.Http.Headers;
using System.Text.Json;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>A project viewer calling the analytics API.</summary>
public sealed class AnalyticsClient(ServiceFactory<Program> factory, Guid projectId)
{
    private readonly HttpClient _http = Authorized(factory, projectId);

    public Guid ProjectId { get; } = projectId;

    public static HttpClient Authorized(ServiceFactory<Program> factory, params Guid[] projects)
    {
        var http = factory.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForProjects(OrganizationRole.Viewer, projects));
        return http;
    }

    public Task<HttpResponseMessage> GetAsync(string path) => _http.GetAsync($"/api/projects/{ProjectId}/analytics/{path}");

    public async Task<JsonElement> GetJsonAsync(string path)
    {
        using var response = await GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public static string Time(DateTimeOffset time) => Uri.EscapeDataString(time.UtcDateTime.ToString("O"));
}
