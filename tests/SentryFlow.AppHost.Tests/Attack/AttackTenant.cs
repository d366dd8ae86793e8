using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SentryFlow.Contracts;

namespace SentryFlow.AppHost.Tests.Attack;

/// <summary>
/// An organization of its own on the running platform: its owner's token, and one of each thing the APIs manage (a
/// project, an API key, a rate-limit policy and override, an alert rule, a silence, a machine client), each id known by
/// the route parameter name that carries it. A parameter nobody made a thing for gets an id of nothing.
/// </summary>
public sealed class AttackTenant
{
    private const string Password = "Attack-Passw0rd-1";
    private readonly Dictionary<string, string> _ids = new(StringComparer.OrdinalIgnoreCase);

    private AttackTenant(string name) => Name = name;

    public string Name { get; }

    public string Token { get; private set; } = "";

    /// <summary>An API key of the tenant's project allowed to post to ingest.</summary>
    public string IngestKey { get; private set; } = "";

    /// <summary>The tenant's id for a route parameter (<c>projectId</c>, <c>keyId</c>...).</summary>
    public string IdFor(string parameter) =>
        _ids.TryGetValue(parameter, out var id) ? id : _ids[parameter] = Guid.NewGuid().ToString();

    public static async Task<AttackTenant> CreateAsync(AppHostFixture fixture, string name)
    {
        var tenant = new AttackTenant(name);
        using var identity = fixture.CreateHttpClient(SentryFlowResources.Identity);
        var email = $"attack-{name}-{Guid.NewGuid():n}@example.test";
        (await SendAsync(identity, HttpMethod.Post, "/api/account/register", new { email, password = Password, displayName = $"Attacker {name}" })).Dispose();
        tenant.Token = await SignInAsync(identity, email);
        identity.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tenant.Token);
        tenant._ids["userId"] = (await JsonAsync(identity, HttpMethod.Get, "/api/account/me")).GetProperty("id").GetString()!;
        var organization = tenant._ids["organizationId"] = await IdAsync(identity, "/api/organizations", new { name = $"Attack {name}" });
        var project = tenant._ids["projectId"] = await IdAsync(identity, $"/api/organizations/{organization}/projects", new { name = $"Attack {name} API" });
        tenant._ids["clientId"] = (await JsonAsync(identity, HttpMethod.Post, $"/api/organizations/{organization}/clients", new { name = $"attack-{name}", role = "member" }))
            .GetProperty("clientId").GetString()!;

        // A token taken after the organization and project exist carries roles in them.
        identity.DefaultRequestHeaders.Authorization = null;
        tenant.Token = await SignInAsync(identity, email);

        using var keys = tenant.Client(fixture, SentryFlowResources.Keys);
        var key = await JsonAsync(keys, HttpMethod.Post, $"/api/projects/{project}/keys", new { name = $"attack-{name}", permissions = new[] { "ingest:write" } });
        tenant._ids["keyId"] = key.GetProperty("id").GetString()!;
        tenant.IngestKey = key.GetProperty("secret").GetString()!;

        using var limits = tenant.Client(fixture, SentryFlowResources.RateLimit);
        var policy = tenant._ids["policyId"] = await IdAsync(limits, $"/api/projects/{project}/ratelimit/policies", new
        {
            name = $"attack-{name}",
            algorithm = "fixedWindow",
            partitionBy = new[] { "keyId" },
            routes = Array.Empty<string>(),
            limits = new[] { new { name = "main", limit = 100, windowSeconds = 60 } },
            failureMode = "open",
        });
        tenant._ids["overrideId"] = await IdAsync(limits, $"/api/projects/{project}/ratelimit/policies/{policy}/overrides",
            new { target = "owner", pattern = "*@example.test", limits = new[] { new { name = "main", limit = 5 } } });

        using var alerting = tenant.Client(fixture, SentryFlowResources.Alerting);
        tenant._ids["ruleId"] = await IdAsync(alerting, $"/api/projects/{project}/alerting/rules", new
        {
            name = $"attack-{name}",
            metric = "count5xx",
            windowSeconds = 300,
            condition = ">=",
            threshold = 1_000_000,
            forSeconds = 0,
            channels = Array.Empty<object>(),
        });
        tenant._ids["silenceId"] = await IdAsync(alerting, $"/api/projects/{project}/alerting/silences", new
        {
            matchers = new[] { new { name = "team", value = name } },
            endsAt = DateTimeOffset.UtcNow.AddHours(1),
        });
        return tenant;
    }

    /// <summary>A client of <paramref name="service"/> carrying the tenant's credentials (its ingest key, for ingest).</summary>
    public HttpClient Client(AppHostFixture fixture, string service)
    {
        var client = fixture.CreateHttpClient(service);
        if (service == SentryFlowResources.Ingest)
        {
            client.DefaultRequestHeaders.Add("X-Api-Key", IngestKey);
        }
        else
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        }

        return client;
    }

    private static async Task<string> SignInAsync(HttpClient identity, string email)
    {
        using var response = await identity.PostAsync(PasswordGrant.TokenPath, PasswordGrant.Request(email, Password));
        return (await ReadAsync(response, HttpStatusCode.OK)).GetProperty("access_token").GetString()!;
    }

    private static async Task<string> IdAsync(HttpClient client, string path, object body) =>
        (await JsonAsync(client, HttpMethod.Post, path, body)).GetProperty("id").GetRawText().Trim('"');

    private static async Task<JsonElement> JsonAsync(HttpClient client, HttpMethod method, string path, object? body = null)
    {
        using var response = await SendAsync(client, method, path, body);
        return await ReadAsync(response, null);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, object? body)
    {
        using var request = new HttpRequestMessage(method, path) { Content = body is null ? null : JsonContent.Create(body) };
        var response = await client.SendAsync(request);
        if (!response.IsSuccessStatusCode)
        {
            var text = await response.Content.ReadAsStringAsync();
            response.Dispose();
            throw new InvalidOperationException($"Setting up a tenant: {method} {path} answered {(int)response.StatusCode}: {text}");
        }

        return response;
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, HttpStatusCode? expected)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode || (expected is { } status && response.StatusCode != status))
        {
            throw new InvalidOperationException($"Setting up a tenant: {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
