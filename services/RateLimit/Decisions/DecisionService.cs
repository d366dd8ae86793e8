using System.Diagnostics;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using SentryFlow.RateLimit.Events;
using SentryFlow.RateLimit.Policies;
using StackExchange.Redis;

namespace SentryFlow.RateLimit.Decisions;

/// <summary>
/// Makes decisions: Redis first, through a 50 ms timeout and a circuit breaker; when Redis cannot answer, the
/// policy's failure mode (fail open through <see cref="LocalFallbackLimiter"/>, or fail closed).
/// </summary>
public sealed partial class DecisionService
{
    private readonly RedisRateLimiter _redis;
    private readonly LocalFallbackLimiter _fallback;
    private readonly RateLimitMetrics _metrics;
    private readonly ExceededReporter _exceeded;
    private readonly ILogger<DecisionService> _logger;
    private readonly ResiliencePipeline _pipeline;

    public DecisionService(
        RedisRateLimiter redis, LocalFallbackLimiter fallback, RateLimitMetrics metrics, ExceededReporter exceeded,
        IOptions<RateLimitOptions> options, ILogger<DecisionService> logger)
    {
        _redis = redis;
        _fallback = fallback;
        _metrics = metrics;
        _exceeded = exceeded;
        _logger = logger;
        var settings = options.Value;
        _pipeline = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = settings.FailureRatio,
                MinimumThroughput = settings.MinimumThroughput,
                SamplingDuration = settings.SamplingDuration,
                BreakDuration = settings.BreakDuration,
                ShouldHandle = new PredicateBuilder().Handle<RedisException>().Handle<TimeoutRejectedException>().Handle<TimeoutException>(),
                OnOpened = _ =>
                {
                    _metrics.Breaker(open: true);
                    LogBreakerOpened(_logger, settings.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    _metrics.Breaker(open: false);
                    LogBreakerClosed(_logger);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(settings.RedisTimeout)
            .Build();
    }

    /// <summary>Decides for one policy; <paramref name="identifier"/> is the partition's identifier.</summary>
    public async Task<Decision> DecideAsync(CompiledPolicy policy, string identifier, string? keyId, string? owner, long cost)
    {
        var limits = policy.LimitsFor(keyId, owner, identifier, out var applied);
        bool allowed;
        LimitOutcome[] outcomes;
        DecisionSource source;
        try
        {
            var start = Stopwatch.GetTimestamp();
            (allowed, outcomes) = await _pipeline.ExecuteAsync(
                static async (state, ct) =>
                {
                    if (!state.Redis.IsConnected)
                    {
                        throw new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Not connected to Redis.");
                    }

                    var evaluation = state.Redis.EvaluateAsync(state.Policy.Algorithm, state.Policy.KeyPrefix, state.Identifier, state.Limits, state.Cost);
                    try
                    {
                        return await evaluation.WaitAsync(ct);
                    }
                    catch (OperationCanceledException) when (evaluation.IsCompletedSuccessfully)
                    {
                        // Redis's reader thread completed the task in time, but this continuation ran late (a busy
                        // thread pool): the answer is there and exact, so use it rather than fall back.
                        return evaluation.Result;
                    }
                },
                (Redis: _redis, Policy: policy, Identifier: identifier, Limits: limits, Cost: cost));
            _metrics.RedisAnswered(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            source = DecisionSource.Redis;
        }
        catch (Exception exception) when (exception is RedisException or TimeoutRejectedException or BrokenCircuitException or TimeoutException)
        {
            _metrics.RedisFailed(exception switch
            {
                BrokenCircuitException => "breaker_open",
                TimeoutRejectedException or TimeoutException or RedisTimeoutException => "timeout",
                _ => "error",
            });
            if (policy.FailureMode == FailureMode.Closed)
            {
                allowed = false;
                outcomes = [.. limits.Select(l => new LimitOutcome(l.Name, l.Limit, l.WindowSeconds, 0, 0, -1))];
                source = DecisionSource.FailedClosed;
            }
            else
            {
                (allowed, outcomes) = _fallback.Evaluate(policy.KeyPrefix, identifier, limits, cost);
                source = DecisionSource.LocalFallback;
            }
        }

        _metrics.Decided(policy.Algorithm.ToString(), allowed, source);
        var decision = new Decision(policy, identifier, allowed, outcomes, source, applied);
        if (!allowed && source != DecisionSource.FailedClosed)
        {
            _exceeded.Record(decision);
        }

        return decision;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis does not answer rate-limit decisions: circuit breaker open for {BreakDuration}; policies fail open or closed as configured")]
    private static partial void LogBreakerOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis answers rate-limit decisions again: circuit breaker closed")]
    private static partial void LogBreakerClosed(ILogger logger);
}
