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
/// policy's failure mode (fail open through <see cref="LocalFallbackLimiter"/>, or fail closed). This is the hot
/// path: no exception is thrown on it, even when Redis is away.
/// </summary>
public sealed partial class DecisionService
{
    private readonly RedisRateLimiter _redis;
    private readonly LocalFallbackLimiter _fallback;
    private readonly RateLimitMetrics _metrics;
    private readonly ExceededReporter _exceeded;
    private readonly ILogger<DecisionService> _logger;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeSpan _timeout;

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
            .Build();
        _timeout = settings.RedisTimeout;
    }

    /// <summary>Decides for one policy; <paramref name="identifier"/> is the partition's identifier.</summary>
    public async Task<Decision> DecideAsync(CompiledPolicy policy, string identifier, string? keyId, string? owner, long cost) =>
        (await DecideAsync([new DecisionRequest(policy, identifier, keyId, owner, cost)]))[0];

    /// <summary>
    /// Decides several requests together, in order: their scripts go to Redis in one pipelined write and are awaited
    /// together, under one timeout and one circuit-breaker call. When Redis cannot answer, each request follows its
    /// own policy's failure mode.
    /// </summary>
    public async Task<Decision[]> DecideAsync(IReadOnlyList<DecisionRequest> requests)
    {
        var calls = new ScriptCall[requests.Count];
        var applied = new PolicyOverride?[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var (policy, identifier, keyId, owner, cost) = requests[i];
            calls[i] = new ScriptCall(policy.Algorithm, policy.KeyPrefix, identifier, policy.LimitsFor(keyId, owner, identifier, out applied[i]), cost);
        }

        var start = Stopwatch.GetTimestamp();
        var context = ResilienceContextPool.Shared.Get();
        Outcome<ScriptResult[]> outcome;
        try
        {
            // Outcomes, not exceptions: an open breaker or a timeout costs no throw, so a struggling Redis does not
            // also make every decision expensive for this process.
            outcome = await _pipeline.ExecuteOutcomeAsync(
                static (_, state) => state.Self.EvaluateInRedisAsync(state.Calls),
                context,
                (Self: this, Calls: calls));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }

        var results = outcome.Result;
        if (outcome.Exception is null)
        {
            _metrics.RedisAnswered(Stopwatch.GetElapsedTime(start));
        }
        else
        {
            _metrics.RedisFailed(outcome.Exception switch
            {
                BrokenCircuitException => "breaker_open",
                TimeoutRejectedException or TimeoutException or RedisTimeoutException => "timeout",
                _ => "error",
            });
        }

        var decisions = new Decision[requests.Count];
        for (var i = 0; i < requests.Count; i++)
        {
            var (policy, identifier, _, _, cost) = requests[i];
            var limits = calls[i].Limits;
            bool allowed;
            LimitOutcome[] outcomes;
            DecisionSource source;
            if (results is not null)
            {
                (allowed, outcomes) = results[i];
                source = DecisionSource.Redis;
            }
            else if (policy.FailureMode == FailureMode.Closed)
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

            _metrics.Decided(policy.Algorithm, allowed, source);
            var decision = new Decision(policy, identifier, allowed, outcomes, source, applied[i]);
            if (!allowed && source != DecisionSource.FailedClosed)
            {
                _exceeded.Record(decision);
            }

            decisions[i] = decision;
        }

        return decisions;
    }

    /// <summary>The scripts' answers, or why Redis gave none: not connected, an error, or no answer within the timeout.</summary>
    private async ValueTask<Outcome<ScriptResult[]>> EvaluateInRedisAsync(ScriptCall[] calls)
    {
        if (!_redis.IsConnected)
        {
            return Outcome.FromException<ScriptResult[]>(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Not connected to Redis."));
        }

        var evaluation = _redis.EvaluateAsync(calls);
        if (!evaluation.IsCompleted)
        {
            await ((Task)evaluation).WaitAsync(_timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // A reply that arrived in time is used even when this continuation ran late (a busy thread pool): it is exact.
        return evaluation.IsCompletedSuccessfully ? Outcome.FromResult(evaluation.Result)
            : evaluation.IsFaulted ? Outcome.FromException<ScriptResult[]>(evaluation.Exception.InnerException ?? evaluation.Exception)
            : Outcome.FromException<ScriptResult[]>(new TimeoutRejectedException(_timeout));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis does not answer rate-limit decisions: circuit breaker open for {BreakDuration}; policies fail open or closed as configured")]
    private static partial void LogBreakerOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis answers rate-limit decisions again: circuit breaker closed")]
    private static partial void LogBreakerClosed(ILogger logger);
}
