using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Testing;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;

namespace SentryFlow.Keys.Tests;

/// <summary>A project member managing keys, and a gateway verifying them.</summary>
public sealed class KeysClient
{
    private readonly WebApplicationFactory<Program> _factory;

    public KeysClient(WebApplicationFactory<Program> factory, OrganizationRole role = OrganizationRole.Member, Guid? projectId = null)
    {
        _factory = factory;
        ProjectId = projectId ?? Guid.NewGuid();
        Http = factory.CreateClient();
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForProjects(role, ProjectId));
    }

    public Guid ProjectId { get; }

    public HttpClient Http { get; }

    public string KeysUrl => $"/api/projects/{ProjectId}/keys";

    public async Task<JsonElement> CreateAsync(object request)
    {
        using var response = await Http.PostAsJsonAsync(KeysUrl, request);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public Task<JsonElement> VerifyAsync(string key, object? extra = null) => VerifyAsync(_factory, key, extra);

    public static async Task<JsonElement> VerifyAsync(WebApplicationFactory<Program> factory, string key, object? extra = null)
    {
        var body = JsonSerializer.SerializeToElement(extra ?? new { });
        var request = new Dictionary<string, object?> { ["key"] = key };
        foreach (var property in body.EnumerateObject())
        {
            request[property.Name] = property.Value;
        }

        using var client = factory.CreateClient();
        using var response = await client.PostAsJsonAsync("/v1/keys/verify", request);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static string Code(JsonElement verdict) => verdict.GetProperty("code").GetString()!;
}
