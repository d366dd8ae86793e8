using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using SentryFlow.Contracts.Authorization;

namespace SentryFlow.Alerting.Tests;

/// <summary>
/// Whatever a client sends is a 400 naming the field (a null in a list, an over-long string), never a 500 nor stored;
/// enum query values bind as the responses print them; every error answer carries an alerting problem code.
/// </summary>
[Collection(AlertingCollection.Name)]
public sealed class InputTests(AlertingHarness harness)
{
    private const string Rule = """{"name":"r","metric":"errorRate","windowSeconds":60,"condition":">","threshold":1}""";

    private const string Silence = """{"matchers":[{"name":"team","value":"v"}],"endsAt":"2999-01-01T00:00:00Z"}""";

    public static TheoryData<string, string> BadRules => new()
    {
        { With(Rule, "channels", new object?[] { null }), "channels[0]" },
        { With(Rule, "channels", new[] { new { type = "webhook", url = "https://hooks.example.com/" + new string('a', 2001) } }), "channels[0].url" },
        { With(Rule, "channels", new[] { new { type = "webhook", url = "https://hooks.example.com/", secret = new string('s', 1001) } }), "channels[0].secret" },
        { With(Rule, "channels", new[] { new { type = "pagerDuty", routingKey = new string('k', 1001) } }), "channels[0].routingKey" },
        {
            With(Rule, "channels", new[] { new { type = "email", to = new[] { "a@example.com" }, from = "b@example.com", smtpHost = "smtp.example.com", username = new string('u', 257), password = "p" } }),
            "channels[0].username"
        },
        { With(Rule, "channels", new[] { new { type = "email", to = new string?[] { null }, from = "b@example.com", smtpHost = "smtp.example.com" } }), "channels[0].to" },
        { With(Rule, "labels", new Dictionary<string, string> { [new string('l', 101)] = "v" }), "labels" },
        { With(Rule, "labels", new Dictionary<string, string> { ["team"] = new string('v', 1001) }), "labels" },
        { With(Rule, "annotations", new Dictionary<string, string> { ["summary"] = new string('v', 4001) }), "annotations" },
        { With(Rule, "groupByLabels", new string?[] { null }), "groupByLabels" },
        { With(Rule, "filters", new { route = "/" + new string('r', 1000) }), "filters.route" },
        { With(Rule, "filters", new { method = new string('G', 17) }), "filters.method" },
        { With(Rule, "filters", new { consumer = new string('c', 257) }), "filters.consumer" },
        { With(Rule, "severity", ""), "severity" },
    };

    public static TheoryData<string, string> BadSilences => new()
    {
        { With(Silence, "matchers", new object?[] { null }), "matchers[0]" },
        { With(Silence, "matchers", new[] { new { name = "team", value = new string('v', 1024 * 1024) } }), "matchers[0].value" },
        { With(Silence, "matchers", new[] { new { name = new string('n', 101), value = "v" } }), "matchers[0].name" },
        { With(Silence, "matchers", new[] { new { name = "not a label", value = "v" } }), "matchers[0].name" },
        { With(Silence, "matchers", new[] { new { name = "team" } }), "matchers[0].value" },
        { With(Silence, "comment", new string('c', 1001)), "comment" },
    };

    [Theory]
    [MemberData(nameof(BadRules))]
    public async Task A_null_in_a_list_or_an_over_long_string_in_a_rule_is_a_400_naming_the_field(string body, string field)
    {
        var projectId = Guid.NewGuid();
        var (status, problem) = await PostAsync(projectId, "rules", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
        Assert.StartsWith("alerting.", problem.GetProperty("code").GetString(), StringComparison.Ordinal);
        Assert.Empty((await GetAsync(projectId, "rules")).EnumerateArray());
    }

    [Theory]
    [MemberData(nameof(BadSilences))]
    public async Task A_null_matcher_or_an_over_long_string_in_a_silence_is_a_400_naming_the_field(string body, string field)
    {
        var projectId = Guid.NewGuid();
        var (status, problem) = await PostAsync(projectId, "silences", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"no error for {field}: {problem}");
        Assert.Equal("alerting.silence_invalid", problem.GetProperty("code").GetString());
        Assert.Empty((await GetAsync(projectId, "silences")).EnumerateArray());
    }

    [Fact]
    public async Task Alerts_and_deliveries_are_filtered_by_state_and_status_as_the_responses_print_them()
    {
        var api = new AlertingApi(harness, Guid.NewGuid());
        var (rule, firing) = await api.FireAsync(new ErrorRateRule("Filtered", []) with { Severity = "warning" });

        var byState = await api.GetAsync("alerts?state=firing");
        Assert.Equal(firing.GetProperty("id").GetString(), Assert.Single(byState.EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal("firing", byState[0].GetProperty("state").GetString());
        Assert.Empty((await api.GetAsync("alerts?state=noData")).EnumerateArray());
        Assert.Empty((await api.GetAsync($"deliveries?ruleId={rule.GetProperty("id").GetString()}&status=delivered")).EnumerateArray());
    }

    [Fact]
    public async Task Every_error_answer_carries_an_alerting_code_listed_in_the_catalogue()
    {
        var projectId = Guid.NewGuid();
        using var http = harness.Client(OrganizationRole.Admin, projectId);
        var path = $"/api/projects/{projectId}/alerting";

        Assert.Equal("alerting.rule_invalid", await CodeAsync(http.PostAsync($"{path}/rules", Json("""{"name":""}""")), HttpStatusCode.BadRequest));
        Assert.Equal("alerting.rule_not_found", await CodeAsync(http.GetAsync($"{path}/rules/{Guid.NewGuid()}"), HttpStatusCode.NotFound));
        Assert.Equal("alerting.rule_not_found", await CodeAsync(http.DeleteAsync($"{path}/rules/{Guid.NewGuid()}"), HttpStatusCode.NotFound));
        Assert.Equal("alerting.alert_not_found", await CodeAsync(http.GetAsync($"{path}/alerts/{Guid.NewGuid()}"), HttpStatusCode.NotFound));
        Assert.Equal("alerting.alert_not_found", await CodeAsync(http.PostAsync($"{path}/alerts/{Guid.NewGuid()}/resolve", null), HttpStatusCode.NotFound));
        Assert.Equal("alerting.silence_not_found", await CodeAsync(http.DeleteAsync($"{path}/silences/{Guid.NewGuid()}"), HttpStatusCode.NotFound));
        Assert.Equal("alerting.query_invalid", await CodeAsync(http.GetAsync($"{path}/alerts?limit=0"), HttpStatusCode.BadRequest));
        Assert.Equal("alerting.query_invalid", await CodeAsync(http.GetAsync($"{path}/deliveries?limit=501"), HttpStatusCode.BadRequest));
        Assert.Equal("alerting.query_invalid", await CodeAsync(http.GetAsync($"{path}/alerts?severity={new string('s', 33)}"), HttpStatusCode.BadRequest));

        var catalogue = (await http.GetFromJsonAsync<JsonElement>("/problems")).EnumerateArray().Select(p => p.GetProperty("code").GetString()).ToList();
        Assert.Contains("alerting.destination_refused", catalogue);
        Assert.Contains("alerting.alert_not_firing", catalogue);
    }

    /// <summary><paramref name="json"/> with <paramref name="property"/> set to <paramref name="value"/>.</summary>
    private static string With(string json, string property, object? value)
    {
        var body = JsonNode.Parse(json)!.AsObject();
        body[property] = JsonSerializer.SerializeToNode(value);
        return body.ToJsonString();
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<string?> CodeAsync(Task<HttpResponseMessage> sending, HttpStatusCode expected)
    {
        using var response = await sending;
        Assert.Equal(expected, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString();
    }

    private async Task<(HttpStatusCode Status, JsonElement Problem)> PostAsync(Guid projectId, string path, string body)
    {
        using var http = harness.Client(OrganizationRole.Admin, projectId);
        using var response = await http.PostAsync($"/api/projects/{projectId}/alerting/{path}", Json(body));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    private async Task<JsonElement> GetAsync(Guid projectId, string path)
    {
        using var http = harness.Client(OrganizationRole.Viewer, projectId);
        return await http.GetFromJsonAsync<JsonElement>($"/api/projects/{projectId}/alerting/{path}");
    }
}
