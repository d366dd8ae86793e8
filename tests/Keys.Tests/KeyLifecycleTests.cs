using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Testing;

namespace SentryFlow.Keys.Tests;

public sealed class KeyLifecycleTests(KeysFactory factory) : IClassFixture<KeysFactory>
{
    [Fact]
    public async Task A_revoked_key_is_refused_on_every_instance_within_one_second()
    {
        await using var other = ServiceFactory<Program>.SiblingOf(factory);
        var client = new KeysClient(factory);
        var created = await client.CreateAsync(new { name = "doomed" });
        var secret = created.GetProperty("secret").GetString()!;
        // Both instances have the key cached.
        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(secret)));
        Assert.Equal("VALID", KeysClient.Code(await KeysClient.VerifyAsync(other, secret)));

        using var revoke = await client.Http.DeleteAsync($"{client.KeysUrl}/{created.GetProperty("id").GetGuid()}");
        Assert.Equal(HttpStatusCode.NoContent, revoke.StatusCode);
        var clock = Stopwatch.StartNew();
        while (KeysClient.Code(await KeysClient.VerifyAsync(other, secret)) != "NOT_FOUND")
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), "the other instance still accepts the revoked key");
            await Task.Delay(20);
        }

        Assert.Equal("NOT_FOUND", KeysClient.Code(await client.VerifyAsync(secret)));
    }

    [Fact]
    public async Task Disabling_takes_effect_at_once_and_enabling_restores()
    {
        var client = new KeysClient(factory);
        var created = await client.CreateAsync(new { name = "toggle" });
        var secret = created.GetProperty("secret").GetString()!;
        var url = $"{client.KeysUrl}/{created.GetProperty("id").GetGuid()}";
        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(secret)));

        using (await client.Http.PatchAsJsonAsync(url, new { enabled = false }))
        {
            Assert.Equal("DISABLED", KeysClient.Code(await client.VerifyAsync(secret)));
        }

        using (await client.Http.PatchAsJsonAsync(url, new { enabled = true }))
        {
            Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(secret)));
        }
    }

    [Fact]
    public async Task Rotation_keeps_the_old_secret_for_the_grace_period_to_the_second()
    {
        var client = new KeysClient(factory);
        var created = await client.CreateAsync(new { name = "rotating" });
        var old = created.GetProperty("secret").GetString()!;

        using var rotate = await client.Http.PostAsJsonAsync($"{client.KeysUrl}/{created.GetProperty("id").GetGuid()}/rotate", new { gracePeriodSeconds = 2 });
        var rotatedAt = DateTimeOffset.UtcNow;
        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        var fresh = (await rotate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;

        Assert.NotEqual(old, fresh);
        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(fresh)));
        await Task.Delay(rotatedAt.AddSeconds(1.5) - DateTimeOffset.UtcNow);
        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(old)));
        await Task.Delay(rotatedAt.AddSeconds(2.3) - DateTimeOffset.UtcNow);
        Assert.Equal("EXPIRED", KeysClient.Code(await client.VerifyAsync(old)));
        Assert.Equal("VALID", KeysClient.Code(await client.VerifyAsync(fresh)));
    }

    [Fact]
    public async Task A_member_of_one_project_cannot_touch_another_projects_keys()
    {
        var owner = new KeysClient(factory);
        var keyId = (await owner.CreateAsync(new { name = "b-key" })).GetProperty("id").GetGuid();
        var stranger = new KeysClient(factory, OrganizationRole.Admin);
        var viewer = new KeysClient(factory, OrganizationRole.Viewer, owner.ProjectId);

        HttpResponseMessage[] forbidden =
        [
            await stranger.Http.GetAsync(owner.KeysUrl),
            await stranger.Http.GetAsync($"{owner.KeysUrl}/{keyId}"),
            await stranger.Http.PostAsJsonAsync($"{owner.KeysUrl}/{keyId}/rotate", new { }),
            await stranger.Http.DeleteAsync($"{owner.KeysUrl}/{keyId}"),
            await viewer.Http.DeleteAsync($"{owner.KeysUrl}/{keyId}"),
            await viewer.Http.PostAsJsonAsync(owner.KeysUrl, new { name = "viewer's" }),
        ];
        using var throughOwnProject = await stranger.Http.GetAsync($"{stranger.KeysUrl}/{keyId}");
        using var viewerReads = await viewer.Http.GetAsync(owner.KeysUrl);

        Assert.All(forbidden, response => Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode));
        Assert.Equal(HttpStatusCode.NotFound, throughOwnProject.StatusCode);
        Assert.Equal(HttpStatusCode.OK, viewerReads.StatusCode);
        using var anonymous = await factory.CreateClient().GetAsync(owner.KeysUrl);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Theory]
    [InlineData("""{"prefix":"sf"}""", "name")]
    [InlineData("""{"name":"x","prefix":"Bad_Prefix"}""", "prefix")]
    [InlineData("""{"name":"x","environment":"prod"}""", "environment")]
    [InlineData("""{"name":"x","remaining":-1}""", "remaining")]
    [InlineData("""{"name":"x","permissions":["ok","not ok"]}""", "permissions[1]")]
    [InlineData("""{"name":"x","meta":[1,2]}""", "meta")]
    [InlineData("""{"name":"x","refill":{"interval":"hourly","amount":5}}""", "refill.interval")]
    [InlineData("""{"name":"x","rateLimits":[{"name":"a","limit":0,"durationMs":1000}]}""", "rateLimits[0].Limit")]
    public async Task Bad_input_gets_400_naming_the_field(string body, string field)
    {
        var client = new KeysClient(factory);

        using var response = await client.Http.PostAsync(client.KeysUrl, new StringContent(body, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("errors");
        Assert.True(errors.EnumerateObject().Any(e => e.Name.Equals(field, StringComparison.OrdinalIgnoreCase)), errors.ToString());
    }

    [Fact]
    public async Task Every_change_is_audited_with_who_and_what()
    {
        var client = new KeysClient(factory);
        var keyId = (await client.CreateAsync(new { name = "audited" })).GetProperty("id").GetGuid();
        using (await client.Http.PatchAsJsonAsync($"{client.KeysUrl}/{keyId}", new { name = "renamed", remaining = 10 }))
        using (await client.Http.PostAsJsonAsync($"{client.KeysUrl}/{keyId}/rotate", new { gracePeriodSeconds = 60 }))
        {
        }

        var entries = (await client.Http.GetFromJsonAsync<JsonElement[]>($"{client.KeysUrl}/{keyId}/audit"))!;

        Assert.Equal(["rotated", "updated", "created"], entries.Select(e => e.GetProperty("action").GetString()));
        Assert.Equal("name, remaining", entries[1].GetProperty("detail").GetString());
        Assert.All(entries, e => Assert.StartsWith("user-", e.GetProperty("actor").GetString()));
    }
}
