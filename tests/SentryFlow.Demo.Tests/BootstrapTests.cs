using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SentryFlow.Contracts.Keys;
using SentryFlow.Samples.TrafficGenerator.Bootstrap;
using SentryFlow.Samples.TrafficGenerator.Traffic;

namespace SentryFlow.Demo.Tests;

/// <summary>The generator's bootstrap against the real services: what it makes, and that running it again makes nothing twice.</summary>
public sealed class BootstrapTests(DemoPlatform platform) : IClassFixture<DemoPlatform>
{
    private const string Password = "Demo-Passw0rd-for-tests";

    [Fact]
    public async Task Bootstrap_makes_the_demo_tenant_and_a_rerun_finds_it_reusing_kept_secrets_or_rotating_lost_ones()
    {
        var options = platform.OptionsFor($"demo-{Guid.NewGuid():n}@sentryflow.test", Password);
        var consumers = ConsumerProfile.Defaults;

        var first = await platform.Bootstrapper(options).RunAsync(consumers, CancellationToken.None);

        // Every consumer's key is good, owned by the consumer, with its permissions; the ingest key may post records.
        foreach (var consumer in consumers)
        {
            var verdict = await VerifyAsync(first.ConsumerKeys[consumer.Owner].Secret);
            Assert.True(verdict.Valid, $"{consumer.Owner}: {verdict.Code}");
            Assert.Equal(first.ProjectId, verdict.ProjectId);
            Assert.Equal(consumer.Owner, verdict.OwnerId);
            Assert.Equal(consumer.Permissions.Order(), verdict.Permissions!.Order());
        }

        Assert.Equal(["ingest:write"], (await VerifyAsync(first.IngestKey.Secret)).Permissions);

        // The policy refuses a burst: 15 a second per consumer on every orders route; the rules watch search and create.
        var token = await SignInAsync(options);
        var policy = await GetAsync(platform.RateLimit.CreateClient(), token, $"/api/projects/{first.ProjectId}/ratelimit/policies/{first.RateLimitPolicyId}");
        Assert.Equal(["owner"], policy.GetProperty("partitionBy").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["/orders/**"], policy.GetProperty("routes").EnumerateArray().Select(p => p.GetString()));
        Assert.Contains(policy.GetProperty("limits").EnumerateArray(), l => l.GetProperty("limit").GetInt64() == DemoBootstrapper.PerSecondLimit && l.GetProperty("windowSeconds").GetInt32() == 1);
        var rules = await GetAsync(platform.Alerting.CreateClient(), token, $"/api/projects/{first.ProjectId}/alerting/rules");
        Assert.Equal([DemoBootstrapper.PaymentErrorsRuleName, DemoBootstrapper.SearchLatencyRuleName], rules.EnumerateArray().Select(r => r.GetProperty("name").GetString()).Order());

        // The orders API's settings: the project, its ingest key and machine client, readable by their owner only.
        using (var settings = JsonDocument.Parse(await File.ReadAllTextAsync(options.OrdersSettingsFile)))
        {
            var sentryFlow = settings.RootElement.GetProperty("SentryFlow");
            Assert.Equal(first.ProjectId, sentryFlow.GetProperty("ProjectId").GetGuid());
            Assert.Equal(first.IngestKey.Secret, sentryFlow.GetProperty("IngestKey").GetString());
            Assert.Equal(first.OrdersClient.ClientId, sentryFlow.GetProperty("RateLimits").GetProperty("ClientId").GetString());
        }

        if (!OperatingSystem.IsWindows())
        {
            foreach (var file in (string[])[options.OrdersSettingsFile, options.SecretsFile])
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }
        Assert.DoesNotContain(first.IngestKey.Secret, first.IngestKey.ToString());
        Assert.DoesNotContain(first.OrdersClient.ClientSecret, first.OrdersClient.ToString());

        // A restart: the same tenant, the same keys with the same secrets, nothing made twice.
        var second = await platform.Bootstrapper(options).RunAsync(consumers, CancellationToken.None);
        Assert.Equal((first.OrganizationId, first.ProjectId, first.RateLimitPolicyId, first.OrdersClient), (second.OrganizationId, second.ProjectId, second.RateLimitPolicyId, second.OrdersClient));
        Assert.Equal(first.AlertRuleIds, second.AlertRuleIds);
        Assert.Equal(first.ConsumerKeys.Values.Append(first.IngestKey), second.ConsumerKeys.Values.Append(second.IngestKey));
        var keys = await GetAsync(platform.Keys.CreateClient(), token, $"/api/projects/{first.ProjectId}/keys?limit=200");
        Assert.Equal(consumers.Count + 1, keys.GetProperty("keys").GetArrayLength());
        Assert.Single(await ListAsync(platform.Identity.CreateClient(), token, "/api/organizations"));

        // The secrets file lost (a fresh state folder on an old database): the same keys, rotated; the old secrets stop.
        File.Delete(options.SecretsFile);
        var third = await platform.Bootstrapper(options).RunAsync(consumers, CancellationToken.None);
        var acme = first.ConsumerKeys["acme-mobile"];
        Assert.Equal(acme.Id, third.ConsumerKeys["acme-mobile"].Id);
        Assert.NotEqual(acme.Secret, third.ConsumerKeys["acme-mobile"].Secret);
        Assert.False((await VerifyAsync(acme.Secret)).Valid);
        Assert.True((await VerifyAsync(third.ConsumerKeys["acme-mobile"].Secret)).Valid);
        Assert.NotEqual(first.OrdersClient.ClientId, third.OrdersClient.ClientId);
        Assert.Single(await ListAsync(platform.Identity.CreateClient(), token, $"/api/organizations/{first.OrganizationId}/clients"));
    }

    [Fact]
    public async Task A_demo_user_whose_password_changed_is_an_error_that_names_the_call_not_the_password()
    {
        var email = $"demo-{Guid.NewGuid():n}@sentryflow.test";
        await platform.Bootstrapper(platform.OptionsFor(email, Password)).RunAsync([], CancellationToken.None);
        var other = platform.OptionsFor(email, "Another-Passw0rd-here");

        var refused = await Assert.ThrowsAsync<PlatformCallException>(() => platform.Bootstrapper(other).RunAsync([], CancellationToken.None));

        Assert.False(refused.IsTransient);
        Assert.Contains("register the demo user", refused.Message);
        Assert.DoesNotContain(other.Password, refused.Message);
    }

    private async Task<VerifyKeyResponse> VerifyAsync(string secret)
    {
        using var response = await platform.Keys.CreateClient().PostAsJsonAsync("/v1/keys/verify", new { key = secret });
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<VerifyKeyResponse>())!;
    }

    private async Task<string> SignInAsync(Samples.TrafficGenerator.DemoOptions options)
    {
        using var form = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["grant_type"] = "password", ["username"] = options.Email, ["password"] = options.Password, ["scope"] = "api",
        });
        using var response = await platform.Identity.CreateClient().PostAsync("/connect/token", form);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("access_token").GetString()!;
    }

    private static async Task<JsonElement> GetAsync(HttpClient client, string token, string path)
    {
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path}: {(int)response.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    private static async Task<JsonElement[]> ListAsync(HttpClient client, string token, string path) =>
        [.. (await GetAsync(client, token, path)).EnumerateArray()];
}
