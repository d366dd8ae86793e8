using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Microsoft.Extensions.DependencyInjection;

public static class FastFailResilienceExtensions
{
    /// <summary>
    /// For a call someone is waiting on (a sender's post, a request's decision): when the other service is down,
    /// fail within <paramref name="attemptTimeout"/> (twice that with <paramref name="retry"/>) rather than after the
    /// default handler's 30 s. A 429 is an answer here (a rate-limit decision), never retried nor counted by the breaker;
    /// without <paramref name="retry"/> nothing is sent twice (for calls that are not idempotent, such as a decision
    /// that consumes capacity).
    /// </summary>
    public static IHttpClientBuilder AddFastFailResilience(this IHttpClientBuilder builder, TimeSpan attemptTimeout, bool retry = true)
    {
#pragma warning disable EXTEXP0001 // RemoveAllResilienceHandlers is marked experimental; it is how a client replaces the default handler.
        builder.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        builder.AddStandardResilienceHandler(resilience =>
        {
            resilience.AttemptTimeout.Timeout = attemptTimeout;
            resilience.TotalRequestTimeout.Timeout = attemptTimeout * 2 + TimeSpan.FromMilliseconds(200);
            resilience.Retry.MaxRetryAttempts = 1;
            resilience.Retry.Delay = TimeSpan.FromMilliseconds(100);
            resilience.Retry.ShouldHandle = args => ValueTask.FromResult(retry && IsFailure(args.Outcome));
            resilience.CircuitBreaker.ShouldHandle = args => ValueTask.FromResult(IsFailure(args.Outcome));
            // The breaker's sampling must be at least twice the attempt timeout.
            resilience.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(Math.Max(10, attemptTimeout.TotalSeconds * 2));
        });
        return builder;
    }

    private static bool IsFailure(Outcome<HttpResponseMessage> outcome) =>
        HttpClientResiliencePredicates.IsTransient(outcome) && outcome.Result?.StatusCode != HttpStatusCode.TooManyRequests;
}
