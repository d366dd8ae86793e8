using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace SentryFlow.Keys.Tests;

public sealed class VerifyTests(KeysFactory factory) : IClassFixture<KeysFactory>
{
    [Fact]
    public async Task A_new_key_has_a_recognisable_secret_shown_once_and_verifies()
    {
        var client = new KeysClient(factory);
        var created = await client.CreateAsync(new { name = "checkout", ownerId = "customer-42", meta = new { plan = "gold" }, permissions = new[] { "read" } });
        var secret = created.GetProperty("secret").GetString()!;

        Assert.Matches("^sf_live_[0-9A-Za-z]{30}$", secret);
        Assert.StartsWith(created.GetProperty("start").GetString()!, secret);
        var verdict = await client.VerifyAsync(secret);
        Assert.True(verdict.GetProperty("valid").GetBoolean());
        Assert.Equal("VALID", KeysClient.Code(verdict));
        Assert.Equal("customer-42", verdict.GetProperty("ownerId").GetString());
        Assert.Equal("gold", verdict.GetProperty("meta").GetProperty("plan").GetString());
        Assert.Equal(client.ProjectId, verdict.GetProperty("projectId").GetGuid());

        var listed = await client.Http.GetStringAsync(client.KeysUrl);
        var read = await client.Http.GetStringAsync($"{client.KeysUrl}/{created.GetProperty("id").GetGuid()}");
        Assert.DoesNotContain(secret, listed);
        Assert.DoesNotContain(secret, read);
    }

    [Fact]
    public async Task A_project_chosen_prefix_and_test_environment_shape_the_secret()
    {
        var client = new KeysClient(factory);

        var created = await client.CreateAsync(new { name = "sandbox", prefix = "acme", environment = "test" });

        Assert.StartsWith("acme_test_", created.GetProperty("secret").GetString());
    }

    [Fact]
    public async Task Unknown_and_look_alike_keys_are_not_found_and_say_nothing_more()
    {
        var client = new KeysClient(factory);
        var secret = (await client.CreateAsync(new { name = "real" })).GetProperty("secret").GetString()!;
        var lookAlike = secret[..^1] + (secret[^1] == 'a' ? 'b' : 'a'); // checksum no longer matches

        foreach (var candidate in new[] { lookAlike, "sf_live_" + new string('A', 30), "garbage" })
        {
            var verdict = await client.VerifyAsync(candidate);
            Assert.Equal("NOT_FOUND", KeysClient.Code(verdict));
            Assert.False(verdict.TryGetProperty("keyId", out var id) && id.ValueKind != JsonValueKind.Null);
        }
    }

    [Fact]
    public async Task Every_refusal_has_its_reason_code()
    {
        var client = new KeysClient(factory);
        async Task<string> SecretOf(object request) => (await client.CreateAsync(request)).GetProperty("secret").GetString()!;

        var disabled = await SecretOf(new { name = "off", enabled = false });
        var expiring = await SecretOf(new { name = "old", expiresAt = DateTimeOffset.UtcNow.AddSeconds(1) });
        var once = await SecretOf(new { name = "once", remaining = 1 });
        var reader = await SecretOf(new { name = "reader", permissions = new[] { "read" } });
        var limited = await SecretOf(new { name = "limited", rateLimits = new[] { new { name = "burst", limit = 2, durationMs = 60_000 } } });

        Assert.Equal("DISABLED", KeysClient.Code(await client.VerifyAsync(disabled)));
        await Task.Delay(1200);
        Assert.Equal("EXPIRED", KeysClient.Code(await client.VerifyAsync(expiring)));
        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(once)));
        Assert.Equal("USAGE_EXCEEDED", KeysClient.Code(await client.VerifyAsync(once)));
        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(reader, new { permissions = "read OR write" })));
        Assert.Equal("INSUFFICIENT_SCOPES", KeysClient.Code(await client.VerifyAsync(reader, new { permissions = "(read OR write) AND billing" })));
        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(limited)));
        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(limited)));
        var refused = await client.VerifyAsync(limited);
        Assert.Equal("RATE_LIMITED", KeysClient.Code(refused));
        Assert.Equal("burst", refused.GetProperty("rateLimit").GetProperty("name").GetString());
    }

    [Fact]
    public async Task A_usage_limit_of_100_admits_exactly_100_of_1000_concurrent_verifications()
    {
        var client = new KeysClient(factory);
        var secret = (await client.CreateAsync(new { name = "metered", remaining = 100 })).GetProperty("secret").GetString()!;

        var verdicts = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            var codes = new List<string>();
            for (var i = 0; i < 50; i++)
            {
                codes.Add(KeysClient.Code(await client.VerifyAsync(secret)));
            }

            return codes;
        })));

        var all = verdicts.SelectMany(c => c).ToList();
        Assert.Equal(100, all.Count(c => c == "VALID"));
        Assert.Equal(900, all.Count(c => c == "USAGE_EXCEEDED"));
    }

    [Fact]
    public async Task A_refill_restores_the_usage_limit_in_the_next_period()
    {
        var client = new KeysClient(factory);
        var secret = (await client.CreateAsync(new { name = "daily", remaining = 1, refill = new { interval = "daily", amount = 5 } }))
            .GetProperty("secret").GetString()!;
        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(secret)));
        Assert.Equal("USAGE_EXCEEDED", KeysClient.Code(await client.VerifyAsync(secret)));

        factory.Clock.Offset = TimeSpan.FromDays(1);
        try
        {
            var verdict = await client.VerifyAsync(secret);
            Assert.Equal("VALID", KeysClient.Code(verdict));
            Assert.Equal(4, verdict.GetProperty("remaining").GetInt64());
        }
        finally
        {
            factory.Clock.Offset = TimeSpan.Zero;
        }
    }

    [Fact]
    public async Task A_bad_permission_expression_is_a_400_naming_permissions()
    {
        using var http = factory.CreateClient();

        using var response = await http.PostAsJsonAsync("/v1/keys/verify", new { key = "sf_live_x", permissions = "(read OR" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("\"permissions\"", await response.Content.ReadAsStringAsync());
    }
}
