using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using SentryFlow.Samples.TrafficGenerator.Traffic;

namespace SentryFlow.Samples.TrafficGenerator.Bootstrap;

/// <summary>
/// Makes the demo tenant through the services' public APIs, as a user would with curl, and finds what an earlier run
/// made instead of making it twice: the demo user (registered unless it signs in), its organization and project (by
/// name), an ingest key for the orders API and one key per consumer (reused from the secrets file, else rotated to
/// learn a secret, else created), a rate-limit policy tight enough that bursts are refused, and alert rules that fire
/// on the demo's slow search and on its payment incidents (replaced, so a changed definition applies).
/// </summary>
public sealed class DemoBootstrapper(PlatformClients platform, IOptions<DemoOptions> options, ILogger<DemoBootstrapper> logger)
{
    public const string IngestKeyName = "orders-api-ingest";

    public const string OrdersClientName = "orders-api";

    public const string PolicyName = "orders-per-consumer";

    public const string SearchLatencyRuleName = "Orders API: search p95 over 1 s";

    public const string PaymentErrorsRuleName = "Orders API: payment errors on create";

    /// <summary>Requests one consumer may send in a second before the rest of a burst is refused.</summary>
    public const int PerSecondLimit = 15;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly DemoOptions _options = options.Value;

    public async Task<DemoTenant> RunAsync(IReadOnlyList<ConsumerProfile> consumers, CancellationToken cancellationToken)
    {
        await SignInOrRegisterAsync(cancellationToken);
        var token = await SignInAsync(cancellationToken) ?? throw new InvalidOperationException("The demo user was registered but cannot sign in.");
        var organizationId = await EnsureNamedAsync(platform.Identity, token, "/api/organizations", _options.OrganizationName, "organization", cancellationToken);
        var projectId = await EnsureNamedAsync(platform.Identity, token, $"/api/organizations/{organizationId}/projects", _options.ProjectName, "project", cancellationToken);

        var secrets = new DemoSecretsFile(_options.SecretsFile);
        var keys = await EnsureKeysAsync(token, projectId, consumers, secrets, cancellationToken);
        var client = await EnsureClientAsync(token, organizationId, secrets, cancellationToken);
        var policyId = await EnsurePolicyAsync(token, projectId, cancellationToken);
        var ruleIds = await EnsureRulesAsync(token, projectId, cancellationToken);

        var tenant = new DemoTenant(organizationId, projectId, keys[IngestKeyName],
            consumers.ToDictionary(c => c.Owner, c => keys[c.Owner]), client, policyId, ruleIds);
        DemoSecretsFile.WriteOrdersSettings(_options.OrdersSettingsFile, tenant);
        logger.LogInformation(
            "Demo tenant ready: user {Email}, organization '{Organization}' {OrganizationId}, project '{Project}' {ProjectId}; keys {Keys}; " +
            "machine client {Client}; rate-limit policy '{Policy}' {PolicyId} ({Limit} a second per consumer); alert rules {Rules}",
            _options.Email, _options.OrganizationName, organizationId, _options.ProjectName, projectId,
            string.Join(", ", keys.Values.Select(k => k.Shown)), client, PolicyName, policyId, PerSecondLimit, string.Join(", ", ruleIds));
        return tenant;
    }

    private async Task SignInOrRegisterAsync(CancellationToken cancellationToken)
    {
        if (await SignInAsync(cancellationToken) is not null)
        {
            return;
        }

        using var registered = await platform.Identity.PostAsJsonAsync("/api/account/register",
            new { email = _options.Email, password = _options.Password, displayName = _options.DisplayName }, cancellationToken);
        await EnsureAsync(registered, "register the demo user", cancellationToken);
        logger.LogInformation("Registered the demo user {Email}", _options.Email);
    }

    /// <summary>The demo user's access token, or null when identity refuses the credentials (not registered yet).</summary>
    private async Task<string?> SignInAsync(CancellationToken cancellationToken)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password",
            ["username"] = _options.Email,
            ["password"] = _options.Password,
            ["scope"] = "api",
        });
        using var response = await platform.Identity.PostAsync("/connect/token", form, cancellationToken);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            return null;
        }

        await EnsureAsync(response, "sign in as the demo user", cancellationToken);
        return (await response.Content.ReadFromJsonAsync<TokenAnswer>(Json, cancellationToken))!.AccessToken;
    }

    private async Task<Guid> EnsureNamedAsync(HttpClient client, string token, string collection, string name, string what, CancellationToken cancellationToken)
    {
        var existing = await GetAsync<List<NamedResource>>(client, token, collection, $"list {what}s", cancellationToken);
        if (existing.FirstOrDefault(r => r.Name == name) is { } found)
        {
            return found.Id;
        }

        var created = await SendAsync<NamedResource>(client, token, HttpMethod.Post, collection, new { name }, $"create the {what}", cancellationToken);
        logger.LogInformation("Created the {What} '{Name}' {Id}", what, name, created.Id);
        return created.Id;
    }

    private async Task<Dictionary<string, IssuedKey>> EnsureKeysAsync(
        string token, Guid projectId, IReadOnlyList<ConsumerProfile> consumers, DemoSecretsFile secrets, CancellationToken cancellationToken)
    {
        var wanted = new List<(string Name, string? Owner, string[] Permissions)> { (IngestKeyName, null, ["ingest:write"]) };
        wanted.AddRange(consumers.Select(c => (c.Owner, (string?)c.Owner, c.Permissions.ToArray())));

        var existing = await ListKeysAsync(token, projectId, cancellationToken);
        var issued = new Dictionary<string, IssuedKey>();
        foreach (var (name, owner, permissions) in wanted)
        {
            var kept = secrets.Load();
            var key = existing.FirstOrDefault(k => k.Name == name);
            if (key is not null && kept.Keys.TryGetValue(name, out var known) && known.Id == key.Id)
            {
                issued[name] = known;
                continue;
            }

            KeyAnswer answer;
            if (key is null)
            {
                answer = await SendAsync<KeyAnswer>(platform.Keys, token, HttpMethod.Post, $"/api/projects/{projectId}/keys",
                    new { name, ownerId = owner, permissions }, $"create the key {name}", cancellationToken);
                logger.LogInformation("Created the key {Key} {KeyId}", name, answer.Id);
            }
            else
            {
                // Its secret was shown once, to a run whose file is gone: a new one replaces it at once.
                answer = await SendAsync<KeyAnswer>(platform.Keys, token, HttpMethod.Post, $"/api/projects/{projectId}/keys/{key.Id}/rotate",
                    new { gracePeriodSeconds = 0 }, $"rotate the key {name}", cancellationToken);
                logger.LogInformation("Rotated the key {Key} {KeyId}: its secret was not kept", name, answer.Id);
            }

            issued[name] = new IssuedKey(answer.Id, name, owner, answer.Secret ?? throw new InvalidOperationException($"keys gave no secret for {name}."));
            kept.Keys[name] = issued[name];
            secrets.Save(kept);
        }

        return issued;
    }

    /// <summary>The orders API's machine client (member of the organization), which rate-limit's decisions need.</summary>
    private async Task<IssuedClient> EnsureClientAsync(string token, Guid organizationId, DemoSecretsFile secrets, CancellationToken cancellationToken)
    {
        var collection = $"/api/organizations/{organizationId}/clients";
        var existing = await GetAsync<List<ClientAnswer>>(platform.Identity, token, collection, "list the machine clients", cancellationToken);
        var kept = secrets.Load();
        var client = existing.FirstOrDefault(c => c.Name == OrdersClientName);
        if (client is not null && kept.OrdersClient?.ClientId == client.ClientId)
        {
            return kept.OrdersClient;
        }

        if (client is not null)
        {
            // Its secret was shown once, to a run whose file is gone: replaced by a new client.
            using var request = new HttpRequestMessage(HttpMethod.Delete, $"{collection}/{Uri.EscapeDataString(client.ClientId)}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var deleted = await platform.Identity.SendAsync(request, cancellationToken);
            await EnsureAsync(deleted, "delete the orders API's machine client", cancellationToken);
        }

        var created = await SendAsync<ClientAnswer>(platform.Identity, token, HttpMethod.Post, collection,
            new { name = OrdersClientName, role = "member" }, "create the orders API's machine client", cancellationToken);
        var issued = new IssuedClient(created.ClientId, OrdersClientName,
            created.ClientSecret ?? throw new InvalidOperationException("identity gave no client secret."));
        secrets.Save(kept with { OrdersClient = issued });
        logger.LogInformation("Created the machine client {Client}", issued);
        return issued;
    }

    private async Task<List<KeyAnswer>> ListKeysAsync(string token, Guid projectId, CancellationToken cancellationToken)
    {
        var keys = new List<KeyAnswer>();
        Guid? after = null;
        do
        {
            var page = await GetAsync<KeyPageAnswer>(platform.Keys, token,
                $"/api/projects/{projectId}/keys?limit=200{(after is { } a ? $"&after={a}" : "")}", "list the keys", cancellationToken);
            keys.AddRange(page.Keys);
            after = page.Next;
        }
        while (after is not null);

        return keys;
    }

    private async Task<Guid> EnsurePolicyAsync(string token, Guid projectId, CancellationToken cancellationToken)
    {
        var policy = new
        {
            name = PolicyName,
            algorithm = "slidingWindow",
            partitionBy = new[] { "owner" },
            routes = new[] { "/orders/**" },
            limits = new object[]
            {
                new { name = "per-second", limit = PerSecondLimit, windowSeconds = 1 },
                new { name = "per-minute", limit = 400, windowSeconds = 60 },
            },
            failureMode = "open",
        };
        return await UpsertAsync(platform.RateLimit, token, $"/api/projects/{projectId}/ratelimit/policies", PolicyName, policy, "rate-limit policy", cancellationToken);
    }

    private async Task<IReadOnlyList<Guid>> EnsureRulesAsync(string token, Guid projectId, CancellationToken cancellationToken)
    {
        var collection = $"/api/projects/{projectId}/alerting/rules";
        var logChannel = new[] { new { type = "log" } };
        var searchLatency = new
        {
            name = SearchLatencyRuleName,
            metric = "latency",
            quantile = 0.95,
            filters = new { route = "/orders/search" },
            windowSeconds = 300,
            condition = ">",
            threshold = 1000,
            severity = "warning",
            groupWaitSeconds = 0,
            labels = new Dictionary<string, string> { ["team"] = "orders", ["demo"] = "true" },
            channels = logChannel,
        };
        var paymentErrors = new
        {
            name = PaymentErrorsRuleName,
            metric = "count5xx",
            filters = new { route = "/orders", method = "POST" },
            windowSeconds = 300,
            condition = ">=",
            threshold = 15,
            severity = "critical",
            groupWaitSeconds = 0,
            labels = new Dictionary<string, string> { ["team"] = "orders", ["demo"] = "true" },
            channels = logChannel,
        };
        return
        [
            await UpsertAsync(platform.Alerting, token, collection, SearchLatencyRuleName, searchLatency, "alert rule", cancellationToken),
            await UpsertAsync(platform.Alerting, token, collection, PaymentErrorsRuleName, paymentErrors, "alert rule", cancellationToken),
        ];
    }

    /// <summary>Replaces the resource called <paramref name="name"/> in <paramref name="collection"/>, or creates it.</summary>
    private async Task<Guid> UpsertAsync(
        HttpClient client, string token, string collection, string name, object body, string what, CancellationToken cancellationToken)
    {
        var existing = await GetAsync<List<NamedResource>>(client, token, collection, $"list the {what}s", cancellationToken);
        if (existing.FirstOrDefault(r => r.Name == name) is { } found)
        {
            await SendAsync<NamedResource>(client, token, HttpMethod.Put, $"{collection}/{found.Id}", body, $"replace the {what} '{name}'", cancellationToken);
            return found.Id;
        }

        var created = await SendAsync<NamedResource>(client, token, HttpMethod.Post, collection, body, $"create the {what} '{name}'", cancellationToken);
        logger.LogInformation("Created the {What} '{Name}' {Id}", what, name, created.Id);
        return created.Id;
    }

    private static Task<T> GetAsync<T>(HttpClient client, string token, string path, string call, CancellationToken cancellationToken) =>
        SendAsync<T>(client, token, HttpMethod.Get, path, null, call, cancellationToken);

    private static async Task<T> SendAsync<T>(
        HttpClient client, string token, HttpMethod method, string path, object? body, string call, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, body.GetType(), options: Json);
        }

        using var response = await client.SendAsync(request, cancellationToken);
        await EnsureAsync(response, call, cancellationToken);
        return (await response.Content.ReadFromJsonAsync<T>(Json, cancellationToken))!;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string call, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        string? problem = null;
        try
        {
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
            var root = body.RootElement;
            problem = root.ValueKind == JsonValueKind.Object
                ? string.Join(" ", new[] { "code", "error", "detail", "error_description" }
                    .Select(p => root.TryGetProperty(p, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null)
                    .Where(v => v is not null))
                : null;
        }
        catch (JsonException)
        {
        }

        throw new PlatformCallException(call, response.StatusCode, problem);
    }
}
