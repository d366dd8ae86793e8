using SentryFlow.RateLimit.Policies;
using StackExchange.Redis;

namespace SentryFlow.RateLimit.Decisions;

/// <summary>
/// At start: connects to Redis and loads the five scripts, so the first decisions do not pay for the connection or
/// for a NOSCRIPT round trip inside their 50 ms budget. A Redis that is down does not hold the service back.
/// </summary>
public sealed partial class ScriptWarmup(DecisionConnection decisions, ILogger<ScriptWarmup> logger) : IHostedService
{
    private readonly IConnectionMultiplexer redis = decisions.Connection;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            var limiter = new RedisRateLimiter(redis);
            await limiter.LoadScriptsAsync(cancellationToken).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);

            // And run each once on a throwaway key, so the first real decisions find the code paths warm.
            foreach (var algorithm in Enum.GetValues<RateLimitAlgorithm>())
            {
                await limiter.EvaluateAsync(algorithm, "rl:{warmup}:", "warmup", [new EffectiveLimit("w", 1, 1, 1)], 0)
                    .WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
        catch (Exception exception) when (exception is RedisException or TimeoutException)
        {
            LogWarmupFailed(logger, exception);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not load the rate-limit scripts into Redis at start; decisions fall back until it answers")]
    private static partial void LogWarmupFailed(ILogger logger, Exception exception);
}
