extern alias ratelimit;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using SentryFlow.Testing;
using StackExchange.Redis;
using LuaScripts = ratelimit::SentryFlow.RateLimit.Decisions.LuaScripts;
using RateLimitAlgorithm = ratelimit::SentryFlow.RateLimit.Policies.RateLimitAlgorithm;

namespace SentryFlow.Bench;

/// <summary>
/// What this machine's Kestrel can do at all, for comparison with <c>check</c>: a bare app (no authentication, no
/// telemetry, no JSON reading, no policy) in the same process with two endpoints, <c>/bare</c> answering a fixed
/// JSON body, and <c>/redis</c> doing that after one <c>EVALSHA</c> of the service's sliding-window script.
/// The distance between <c>/redis</c> and <c>check</c> is what the service's own work costs.
/// </summary>
public sealed class KestrelCeiling : IAsyncDisposable
{
    private const string Answer = """{"allowed":true,"limit":100000000,"remaining":99999999,"reset":60}""";

    private readonly WebApplication _app;

    private KestrelCeiling(WebApplication app, Uri baseAddress)
    {
        _app = app;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<KestrelCeiling> StartAsync(string redisConnectionString)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var redis = await ConnectionMultiplexer.ConnectAsync(redisConnectionString);
        var script = LuaScripts.For(RateLimitAlgorithm.SlidingWindow);
        var app = builder.Build();
        app.MapPost("/bare", () => Results.Text(Answer, "application/json"));
        app.MapPost("/redis", async () =>
        {
            RedisValue[] arguments = [0, 100_000_000, 60_000_000, 1, 100_000_000];
            await redis.GetDatabase().ScriptEvaluateAsync(script, [$"bench:ceiling:{Random.Shared.Next(1000)}"], arguments);
            return Results.Text(Answer, "application/json");
        });
        app.Lifetime.ApplicationStopped.Register(redis.Dispose);
        await app.StartAsync();
        return new KestrelCeiling(app, new Uri($"http://127.0.0.1:{port}"));
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
