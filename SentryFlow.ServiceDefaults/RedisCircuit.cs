using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Timeout;
using StackExchange.Redis;

namespace SentryFlow.ServiceDefaults;

/// <summary>
/// Redis calls that fail fast: not connected, an error, no reply within <see cref="RedisCircuitOptions.Timeout"/>, or
/// the circuit breaker open are all an outcome with an exception, never a wait of the multiplexer's seconds (its
/// default timeout is 5 s, and while it reconnects it queues commands for as long). Callers take the outcome and fall
/// back (PostgreSQL, memory, a documented failure mode); nothing is thrown on the hot path.
/// </summary>
/// <remarks>
/// A command that timed out may still reach Redis later (a paused server runs what it had received when it resumes),
/// so callers only send what may still apply late: a read, or a write that stays true whenever it lands.
/// </remarks>
public sealed partial class RedisCircuit
{
    private readonly IConnectionMultiplexer _redis;
    private readonly ResiliencePipeline _pipeline;
    private readonly TimeSpan _timeout;
    private readonly CircuitBreakerStateProvider _state = new();

    public RedisCircuit(IConnectionMultiplexer redis, IOptions<RedisCircuitOptions> options, ILogger<RedisCircuit> logger)
    {
        _redis = redis;
        var settings = options.Value;
        _timeout = settings.Timeout;
        _pipeline = new ResiliencePipelineBuilder()
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = settings.FailureRatio,
                MinimumThroughput = settings.MinimumThroughput,
                SamplingDuration = settings.SamplingDuration,
                BreakDuration = settings.BreakDuration,
                StateProvider = _state,
                ShouldHandle = new PredicateBuilder().Handle<RedisException>().Handle<TimeoutRejectedException>().Handle<TimeoutException>(),
                OnOpened = _ =>
                {
                    LogOpened(logger, settings.BreakDuration);
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LogClosed(logger);
                    return ValueTask.CompletedTask;
                },
            })
            .Build();
    }

    /// <summary>True while the breaker is open (calls fail at once).</summary>
    public bool IsOpen => _state.CircuitState is CircuitState.Open or CircuitState.Isolated;

    /// <summary>Runs <paramref name="call"/> against Redis: its result, or the reason there is none.</summary>
    public async ValueTask<Outcome<T>> TryAsync<T>(Func<IDatabase, Task<T>> call)
    {
        var context = ResilienceContextPool.Shared.Get();
        try
        {
            // Outcomes, not exceptions: an open breaker or a timeout costs no throw.
            return await _pipeline.ExecuteOutcomeAsync(static (_, state) => state.Self.CallAsync(state.Call), context, (Self: this, Call: call));
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<Outcome<T>> CallAsync<T>(Func<IDatabase, Task<T>> call)
    {
        if (!_redis.IsConnected)
        {
            // Sent now, the command would wait in the multiplexer's backlog until it reconnects.
            return Outcome.FromException<T>(new RedisConnectionException(ConnectionFailureType.UnableToConnect, "Not connected to Redis."));
        }

        Task<T> reply;
        try
        {
            reply = call(_redis.GetDatabase());
        }
        catch (RedisException exception)
        {
            return Outcome.FromException<T>(exception);
        }

        if (!reply.IsCompleted)
        {
            await ((Task)reply).WaitAsync(_timeout).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // A reply that arrived in time is used even when this continuation ran late (a busy thread pool).
        return reply.IsCompletedSuccessfully ? Outcome.FromResult(reply.Result)
            : reply.IsFaulted ? Outcome.FromException<T>(reply.Exception.InnerException ?? reply.Exception)
            : Outcome.FromException<T>(new TimeoutRejectedException(_timeout));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis does not answer: circuit breaker open for {BreakDuration}; callers fall back")]
    private static partial void LogOpened(ILogger logger, TimeSpan breakDuration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Redis answers again: circuit breaker closed")]
    private static partial void LogClosed(ILogger logger);
}

/// <summary>Registers <see cref="RedisCircuit"/>.</summary>
public static class RedisCircuitExtensions
{
    /// <summary>
    /// A <see cref="RedisCircuit"/> for the service's Redis connection, its settings bound from <paramref name="section"/>
    /// over the service's own default <paramref name="timeout"/>.
    /// </summary>
    public static IServiceCollection AddRedisCircuit(this IServiceCollection services, string section, TimeSpan timeout)
    {
        services.AddOptions<RedisCircuitOptions>()
            .Configure(options => options.Timeout = timeout)
            .BindConfiguration(section)
            .Validate(options => options.Timeout > TimeSpan.Zero && options.BreakDuration >= TimeSpan.FromMilliseconds(500)
                && options.FailureRatio is > 0 and <= 1 && options.MinimumThroughput >= 2 && options.SamplingDuration >= TimeSpan.FromMilliseconds(500),
                $"{section}: Timeout > 0, BreakDuration and SamplingDuration at least 0.5 s, FailureRatio in (0, 1], MinimumThroughput at least 2.")
            .ValidateOnStart();
        services.AddSingleton<RedisCircuit>();
        return services;
    }
}
