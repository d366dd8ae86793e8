using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Contracts.Authorization;
using SentryFlow.RateLimit.Decisions;
using SentryFlow.RateLimit.Policies;
using StackExchange.Redis;

namespace SentryFlow.RateLimit.Tests;

public sealed class CheckApiTests(RateLimitFactory factory) : IClassFixture<RateLimitFactory>
{
    private readonly Guid _project = Guid.NewGuid();

    private HttpClient Admin => factory.ClientFor(OrganizationRole.Admin, _project);

    private HttpClient Member => factory.ClientFor(OrganizationRole.Member, _project);

    [Fact]
    public async Task Check_admits_up_to_the_limit_then_answers_429_with_the_ratelimit_headers()
    {
        using var admin = Admin;
        await admin.CreatePolicyAsync(_project, PolicyClient.Policy("burst", "fixedWindow", 3, 60));
        using var member = Member;

        for (var i = 0; i < 3; i++)
        {
            var (status, body, response) = await member.CheckAsync(new { projectId = _project, policy = "burst", keyId = "key-1" });
            Assert.Equal(HttpStatusCode.OK, status);
            Assert.True(body.GetProperty("allowed").GetBoolean());
            Assert.Equal(2 - i, body.GetProperty("remaining").GetInt64());
            Assert.Equal("\"main\";q=3;w=60", response.Headers.GetValues("RateLimit-Policy").Single());
            Assert.StartsWith($"\"main\";r={2 - i};t=", response.Headers.GetValues("RateLimit").Single());
            Assert.False(response.Headers.Contains("Retry-After"));
            response.Dispose();
        }

        var (rejected, rejectedBody, rejectedResponse) = await member.CheckAsync(new { projectId = _project, policy = "burst", keyId = "key-1" });
        using (rejectedResponse)
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, rejected);
            Assert.False(rejectedBody.GetProperty("allowed").GetBoolean());
            Assert.Equal(0, rejectedBody.GetProperty("remaining").GetInt64());
            var retryAfter = long.Parse(rejectedResponse.Headers.GetValues("Retry-After").Single());
            // Never earlier than the window's end: the next aligned minute.
            var windowEnd = 60 - DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 60;
            Assert.InRange(retryAfter, windowEnd - 1, 60);
            Assert.Equal(retryAfter, rejectedBody.GetProperty("retryAfter").GetInt64());
            Assert.Equal(rejectedResponse.Headers.GetValues("RateLimit").Single(), rejectedBody.GetProperty("headers").GetProperty("rateLimit").GetString());
        }

        // Another key has its own counter.
        var (other, _, otherResponse) = await member.CheckAsync(new { projectId = _project, policy = "burst", keyId = "key-2" });
        otherResponse.Dispose();
        Assert.Equal(HttpStatusCode.OK, other);
    }

    [Fact]
    public async Task Check_needs_a_member_token_for_the_project()
    {
        using var admin = Admin;
        await admin.CreatePolicyAsync(_project, PolicyClient.Policy("p", "fixedWindow", 3, 60));
        using var anonymous = factory.CreateClient();
        var (unauthenticated, _, r1) = await anonymous.CheckAsync(new { projectId = _project, policy = "p", keyId = "k" });
        r1.Dispose();
        Assert.Equal(HttpStatusCode.Unauthorized, unauthenticated);
        using var viewer = factory.ClientFor(OrganizationRole.Viewer, _project);
        var (asViewer, _, r2) = await viewer.CheckAsync(new { projectId = _project, policy = "p", keyId = "k" });
        r2.Dispose();
        Assert.Equal(HttpStatusCode.Forbidden, asViewer);
        using var stranger = factory.ClientFor(OrganizationRole.Owner, Guid.NewGuid());
        var (asStranger, _, r3) = await stranger.CheckAsync(new { projectId = _project, policy = "p", keyId = "k" });
        r3.Dispose();
        Assert.Equal(HttpStatusCode.Forbidden, asStranger);
    }

    public static TheoryData<string, string> BadChecks => new()
    {
        { """{"policy":"p","keyId":"k"}""", "projectId" },
        { """{"projectId":"PROJECT","policy":"nope","keyId":"k"}""", "policy" },
        { """{"projectId":"PROJECT","policy":"p","keyId":"k","cost":-1}""", "cost" },
        { """{"projectId":"PROJECT","policy":"p"}""", "keyId" },
        { """{"projectId":"PROJECT","keyId":"k"}""", "policy" },
        { """{"projectId":"PROJECT","route":"orders","keyId":"k"}""", "route" },
        { """{"projectId":"PROJECT","policy":"p","keyId":"k","cost":"lots"}""", "cost" },
        { """{"projectId":"PROJECT","policy":"p","keyId":"k","cost":1000001}""", "cost" },
        { $$"""{"projectId":"PROJECT","policy":"p","keyId":"{{new string('k', 257)}}"}""", "keyId" },
        { $$"""{"projectId":"PROJECT","policy":"{{new string('p', 101)}}","keyId":"k"}""", "policy" },
        { $$"""{"projectId":"PROJECT","route":"/{{new string('r', 2048)}}","keyId":"k"}""", "route" },
        { """{"projectId":"PROJECT","policy":"p","keyId":"k","method":"GETGETGETGETGETGET"}""", "method" },
        { $$"""{"projectId":"PROJECT","policy":"p","owner":"{{new string('o', 257)}}"}""", "owner" },
        { $$"""{"projectId":"PROJECT","policy":"p","identifier":"{{new string('i', 257)}}"}""", "identifier" },
        { $$"""{"projectId":"PROJECT","policy":"p","ip":"{{new string('1', 65)}}"}""", "ip" },
    };

    public static TheoryData<string, string> BadBatches => new()
    {
        { """{"items":[{"policy":"p","keyId":"k"}]}""", "projectId" },
        { """{"projectId":"PROJECT"}""", "items" },
        { """{"projectId":"PROJECT","items":[]}""", "items" },
        { $$"""{"projectId":"PROJECT","items":[{{string.Join(",", Enumerable.Repeat("""{"policy":"p","keyId":"k"}""", 1001))}}]}""", "items" },
        { """{"projectId":"PROJECT","items":[{"policy":"p","keyId":"k"},null]}""", "items[1]" },
        { """{"projectId":"PROJECT","items":[{"policy":"p","keyId":"k"},{"policy":"p","keyId":"k","cost":-2}]}""", "items[1].cost" },
        { $$"""{"projectId":"PROJECT","items":[{"policy":"p","keyId":"k"},{"policy":"p","keyId":"{{new string('k', 257)}}"}]}""", "items[1].keyId" },
        { """{"projectId":"PROJECT","items":[{"policy":"p","keyId":"k"},{"policy":"nope","keyId":"k"}]}""", "items[1].policy" },
    };

    [Theory]
    [MemberData(nameof(BadBatches))]
    public Task Bad_batches_get_400_naming_the_field(string json, string field) => AssertBadAsync("/v1/ratelimit/check-batch", json, field);

    [Theory]
    [MemberData(nameof(BadChecks))]
    public Task Bad_checks_get_400_naming_the_field(string json, string field) => AssertBadAsync("/v1/ratelimit/check", json, field);

    /// <summary>Posts <paramref name="json"/> (PROJECT: this test's project, which has a policy "p") and expects a 400 naming <paramref name="field"/>.</summary>
    private async Task AssertBadAsync(string path, string json, string field)
    {
        using var admin = Admin;
        await admin.CreatePolicyAsync(_project, PolicyClient.Policy("p", "fixedWindow", 3, 60));
        using var member = Member;
        using var response = await member.PostAsync(path,
            new StringContent(json.Replace("PROJECT", _project.ToString()), System.Text.Encoding.UTF8, "application/json"));
        await PolicyClient.AssertValidationProblemAsync(response, field);
    }

    [Fact]
    public async Task Checks_by_route_apply_every_matching_policy_partitioned_as_configured()
    {
        using var admin = Admin;
        await admin.CreatePolicyAsync(_project, PolicyClient.Policy("orders", "slidingLog", 2, 60, partitionBy: ["ip", "route"], routes: ["/v1/orders/{id}"]));
        await admin.CreatePolicyAsync(_project, PolicyClient.Policy("all", "tokenBucket", 100, 60, partitionBy: ["ip"], routes: ["/v1/**"]));
        using var member = Member;

        var (first, body, r1) = await member.CheckAsync(new { projectId = _project, route = "/v1/orders/17", method = "GET", ip = "10.0.0.1" });
        r1.Dispose();
        Assert.Equal(HttpStatusCode.OK, first);
        var policies = body.GetProperty("policies").EnumerateArray().ToList();
        Assert.Equal(2, policies.Count);
        Assert.Contains(policies, p => p.GetProperty("identifier").GetString() == "ip=10.0.0.1|route=/v1/orders/{id}");
        Assert.Equal(1, body.GetProperty("remaining").GetInt64()); // the binding limit: orders, 1 left

        var (_, _, r2) = await member.CheckAsync(new { projectId = _project, route = "/v1/orders/18", method = "GET", ip = "10.0.0.1" });
        r2.Dispose();
        var (third, _, r3) = await member.CheckAsync(new { projectId = _project, route = "/v1/orders/19", ip = "10.0.0.1" });
        r3.Dispose();
        Assert.Equal(HttpStatusCode.TooManyRequests, third); // same pattern, same partition

        var (elsewhere, elsewhereBody, r4) = await member.CheckAsync(new { projectId = _project, route = "/v1/users", ip = "10.0.0.1" });
        r4.Dispose();
        Assert.Equal(HttpStatusCode.OK, elsewhere);
        Assert.Single(elsewhereBody.GetProperty("policies").EnumerateArray());

        var (unmatched, unmatchedBody, r5) = await member.CheckAsync(new { projectId = _project, route = "/health", ip = "10.0.0.1" });
        r5.Dispose();
        Assert.Equal(HttpStatusCode.OK, unmatched);
        Assert.Empty(unmatchedBody.GetProperty("policies").EnumerateArray());
    }

    [Fact]
    public async Task Check_batch_answers_every_item_in_order()
    {
        using var admin = Admin;
        await admin.CreatePolicyAsync(_project, PolicyClient.Policy("batch", "gcra", 5, 60));
        using var member = Member;
        var items = Enumerable.Range(0, 8).Select(i => new { policy = "batch", keyId = i < 6 ? "a" : "b" }).ToArray();
        using var response = await member.PostAsJsonAsync("/v1/ratelimit/check-batch", new { projectId = _project, items });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var results = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("results").EnumerateArray().ToList();
        Assert.Equal(8, results.Count);
        Assert.Equal(5, results.Take(6).Count(r => r.GetProperty("allowed").GetBoolean()));
        Assert.True(results[6].GetProperty("allowed").GetBoolean());
        var rejected = results.Take(6).Single(r => !r.GetProperty("allowed").GetBoolean());
        Assert.NotNull(rejected.GetProperty("headers").GetProperty("retryAfter").GetString());

        using var bad = await member.PostAsJsonAsync("/v1/ratelimit/check-batch", new { projectId = _project, items = new object[] { new { policy = "batch", keyId = "a" }, new { policy = "batch" } } });
        await PolicyClient.AssertValidationProblemAsync(bad, "items[1].keyId");
        using var empty = await member.PostAsJsonAsync("/v1/ratelimit/check-batch", new { projectId = _project, items = Array.Empty<object>() });
        await PolicyClient.AssertValidationProblemAsync(empty, "items");
    }

    [Fact]
    public async Task Overrides_change_limits_at_run_time_and_exact_beats_wildcard()
    {
        using var admin = Admin;
        // A sliding log over an hour: no window boundary can fall between the requests (a fixed window aligned on the
        // minute did, now and then, and admitted one more).
        var policy = await admin.CreatePolicyAsync(_project, PolicyClient.Policy("owners", "slidingLog", 2, 3600, partitionBy: ["owner"]));
        var path = $"{PolicyClient.PoliciesPath(_project)}/{policy.GetProperty("id").GetGuid()}/overrides";
        using var member = Member;

        async Task<int> AdmittedAsync(string owner, int attempts)
        {
            var admitted = 0;
            for (var i = 0; i < attempts; i++)
            {
                var (status, _, response) = await member.CheckAsync(new { projectId = _project, policy = "owners", owner });
                response.Dispose();
                admitted += status == HttpStatusCode.OK ? 1 : 0;
            }

            return admitted;
        }

        Assert.Equal(2, await AdmittedAsync("ann@acme.com", 4));

        using (var wildcard = await admin.PostAsJsonAsync(path, new { target = "owner", pattern = "*@acme.com", limits = new[] { new { name = "main", limit = 5 } } }))
        {
            Assert.Equal(HttpStatusCode.Created, wildcard.StatusCode);
        }

        using (var exact = await admin.PostAsJsonAsync(path, new { target = "owner", pattern = "bob@acme.com", limits = new[] { new { name = "main", limit = 8 } } }))
        {
            Assert.Equal(HttpStatusCode.Created, exact.StatusCode);
        }

        // No restart: ann now has 5 in the same window (2 already used), bob 8, others still 2.
        Assert.Equal(3, await AdmittedAsync("ann@acme.com", 6));
        Assert.Equal(8, await AdmittedAsync("bob@acme.com", 10));
        Assert.Equal(2, await AdmittedAsync("eve@example.com", 4));
        var (_, body, last) = await member.CheckAsync(new { projectId = _project, policy = "owners", owner = "bob@acme.com" });
        last.Dispose();
        Assert.Equal(8, body.GetProperty("limit").GetInt64());
    }

    [Fact]
    public async Task Fifty_concurrent_tasks_sending_a_thousand_requests_each_get_exactly_the_limit()
    {
        var redis = factory.Services.GetRequiredService<IConnectionMultiplexer>();
        var limiter = new RedisRateLimiter(redis);
        foreach (var algorithm in new[] { RateLimitAlgorithm.FixedWindow, RateLimitAlgorithm.SlidingLog, RateLimitAlgorithm.TokenBucket, RateLimitAlgorithm.Gcra })
        {
            var prefix = RedisRateLimiter.KeyPrefix(Guid.NewGuid());
            // A window long enough that neither a window boundary nor a refill falls inside the test.
            EffectiveLimit[] limits = [new("main", 100, 3600, 100)];
            var admitted = 0;
            await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
            {
                for (var i = 0; i < 1000; i++)
                {
                    if ((await limiter.EvaluateAsync(algorithm, prefix, "hot", limits, 1)).Allowed)
                    {
                        Interlocked.Increment(ref admitted);
                    }
                }
            })));
            Assert.True(admitted == 100 || (algorithm == RateLimitAlgorithm.FixedWindow && DateTime.UtcNow.Minute == 0), $"{algorithm}: {admitted}");
        }
    }

    [Fact]
    public async Task Concurrent_checks_over_http_admit_exactly_the_limit()
    {
        using var admin = Admin;
        // Fail-closed: if this busy test host ever misses the 50 ms budget, the answer is a 503, never an extra admission.
        await admin.CreatePolicyAsync(_project, PolicyClient.Policy("exact", "slidingLog", 100, 3600, failureMode: "closed"));
        using var member = Member;
        (await member.CheckAsync(new { projectId = _project, policy = "exact", keyId = "warm-up" })).Response.Dispose();
        var admitted = 0;
        var unavailable = 0;
        // 300 requests from 10 concurrent callers (the 50-task test above drives the scripts without HTTP in between).
        await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                using var response = await member.PostAsJsonAsync("/v1/ratelimit/check", new { projectId = _project, policy = "exact", keyId = "k" });
                var body = await response.Content.ReadFromJsonAsync<JsonElement>();
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Assert.Equal("redis", body.GetProperty("source").GetString());
                    Interlocked.Increment(ref admitted);
                }
                else if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    Interlocked.Increment(ref unavailable);
                }
                else
                {
                    Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
                }
            }
        })));
        Assert.Equal(0, unavailable);
        Assert.Equal(100, admitted);
    }

    [Fact]
    public async Task Two_instances_sharing_redis_admit_exactly_the_limit_between_them()
    {
        using var admin = Admin;
        await admin.CreatePolicyAsync(_project, PolicyClient.Policy("shared", "gcra", 100, 3600, failureMode: "closed"));
        await using var second = new RateLimitFactory();
        await ((IAsyncLifetime)second).InitializeAsync();
        // The same database and Redis as the first instance.
        second.Settings["ConnectionStrings:ratelimitdb"] = factory.ConnectionString("ratelimitdb");
        second.Settings["ConnectionStrings:redis"] = factory.ConnectionString("redis");
        using var one = Member;
        using var two = second.ClientFor(OrganizationRole.Member, _project);
        foreach (var client in new[] { one, two })
        {
            (await client.CheckAsync(new { projectId = _project, policy = "shared", keyId = "warm-up" })).Response.Dispose();
        }

        var admitted = 0;
        await Task.WhenAll(new[] { one, two }.SelectMany(client => Enumerable.Range(0, 10).Select(_ => Task.Run(async () =>
        {
            for (var i = 0; i < 30; i++)
            {
                using var response = await client.PostAsJsonAsync("/v1/ratelimit/check", new { projectId = _project, policy = "shared", keyId = "k" });
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref admitted);
                }
            }
        }))));
        Assert.Equal(100, admitted);
    }

    [Fact]
    public async Task Admins_read_and_reset_counters()
    {
        using var admin = Admin;
        var policy = await admin.CreatePolicyAsync(_project, PolicyClient.Policy("resettable", "fixedWindow", 2, 3600));
        var counters = $"{PolicyClient.PoliciesPath(_project)}/{policy.GetProperty("id").GetGuid()}/counters";
        using var member = Member;
        foreach (var key in new[] { "a", "a", "b", "b" })
        {
            (await member.CheckAsync(new { projectId = _project, policy = "resettable", keyId = key })).Response.Dispose();
        }

        var status = await admin.GetFromJsonAsync<JsonElement>($"{counters}?identifier=keyId=a");
        Assert.Equal(0, status.GetProperty("limits")[0].GetProperty("remaining").GetInt64());
        using var memberLooks = await member.GetAsync($"{counters}?identifier=keyId=a");
        Assert.Equal(HttpStatusCode.Forbidden, memberLooks.StatusCode);
        using var noIdentifier = await admin.GetAsync(counters);
        await PolicyClient.AssertValidationProblemAsync(noIdentifier, "identifier");

        using (var resetOne = await admin.DeleteAsync($"{counters}?identifier=keyId=a"))
        {
            Assert.Equal(HttpStatusCode.OK, resetOne.StatusCode);
        }

        Assert.Equal(HttpStatusCode.OK, (await member.CheckAsync(new { projectId = _project, policy = "resettable", keyId = "a" })).Status);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await member.CheckAsync(new { projectId = _project, policy = "resettable", keyId = "b" })).Status);

        using (var resetAll = await admin.DeleteAsync(counters))
        {
            Assert.Equal(2, (await resetAll.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deleted").GetInt64());
        }

        Assert.Equal(HttpStatusCode.OK, (await member.CheckAsync(new { projectId = _project, policy = "resettable", keyId = "b" })).Status);
    }
}
