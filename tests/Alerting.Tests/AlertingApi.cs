using System.Net.Http.Json;
using System.Text.Json;
using SentryFlow.Contracts.Authorization;

namespace SentryFlow.Alerting.Tests;

/// <summary>A project admin's calls to the alerting API, in one project.</summary>
public sealed class AlertingApi(AlertingHarness harness, Guid projectId)
{
    private readonly HttpClient _http = harness.Client(OrganizationRole.Admin, projectId);

    public Guid ProjectId { get; } = projectId;

    public string Base => $"/api/projects/{ProjectId}/alerting";

    public async Task<JsonElement> CreateRuleAsync(object rule) => await SendAsync(HttpMethod.Post, "rules", rule);

    public async Task<JsonElement> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, $"{Base}/{path}") { Content = body is null ? null : JsonContent.Create(body) };
        using var response = await _http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public Task<JsonElement> GetAsync(string path) => SendAsync(HttpMethod.Get, path);

    /// <summary>The rule's alert (the ungrouped one, or the one of <paramref name="group"/>) once it is in <paramref name="state"/>.</summary>
    public Task<JsonElement> WaitForAlertAsync(string ruleId, string state, string group = "") =>
        Eventually.ValueAsync<JsonElement?>(async () =>
        {
            var alerts = await GetAsync($"alerts?ruleId={ruleId}");
            return alerts.EnumerateArray().Where(a => a.GetProperty("groupKey").GetString() == group && a.GetProperty("state").GetString() == state)
                .Select(a => (JsonElement?)a).FirstOrDefault();
        }, $"the alert of rule {ruleId} ({group}) is {state}").ContinueWith(t => t.Result!.Value, TaskScheduler.Default);

    public async Task<List<JsonElement>> DeliveriesAsync(string ruleId) =>
        [.. (await GetAsync($"deliveries?ruleId={ruleId}")).EnumerateArray()];

    /// <summary>
    /// Sends traffic with 20 % 5xx (80 answered 200, 20 answered 500), creates <paramref name="rule"/> and waits until its
    /// (ungrouped) alert fires: the rule as created and the firing alert.
    /// </summary>
    public async Task<(JsonElement Rule, JsonElement Alert)> FireAsync(object rule)
    {
        await harness.SendTrafficAsync(ProjectId, ok: 80, failed: 20);
        var created = await CreateRuleAsync(rule);
        return (created, await WaitForAlertAsync(created.GetProperty("id").GetString()!, "firing"));
    }
}
