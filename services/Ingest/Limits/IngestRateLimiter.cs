using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;
using SentryFlow.Contracts.RateLimit;

namespace SentryFlow.Ingest.Limits;

/// <summary>
/// A project's ingest limit, decided by the rate-limit service: the project's policy named <see cref="PolicyName"/>
/// (any algorithm), one bucket per project, each post costing its number of items. A project without that policy is
/// not limited: the check says so explicitly (it allows a missing policy, and answers source <c>none</c>), and that is
/// remembered for <see cref="NoPolicyFor"/>, so a policy created later applies within that time.
/// When the rate-limit service is down or slow, ingest lets data in (fail open) and counts it: losing data is worse
/// than taking a little too much.
/// </summary>
public sealed partial class IngestRateLimiter(HttpClient rateLimit, IMemoryCache cache, IngestMetrics metrics, ILogger<IngestRateLimiter> logger)
{
    public const string PolicyName = "ingest";
    public static readonly TimeSpan NoPolicyFor = TimeSpan.FromSeconds(15);

    public async Task<IngestAllowance> CheckAsync(Guid projectId, int items, CancellationToken cancellationToken)
    {
        var noPolicy = (typeof(IngestRateLimiter), projectId);
        if (items == 0 || cache.TryGetValue(noPolicy, out _))
        {
            return IngestAllowance.Unlimited;
        }

        try
        {
            using var response = await rateLimit.PostAsJsonAsync("/v1/ratelimit/check",
                new CheckRequest(projectId, PolicyName, Identifier: projectId.ToString(), Cost: items, AllowWithoutPolicy: true), cancellationToken);
            // 200 admitted, 429 rejected; anything else (503 failed closed, 5xx, a 4xx ingest did not expect) is no decision.
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.TooManyRequests))
            {
                return FailOpen(new HttpRequestException($"The rate-limit service answered {(int)response.StatusCode}.", null, response.StatusCode));
            }

            var answer = await response.Content.ReadFromJsonAsync<CheckResponse>(cancellationToken)
                ?? throw new JsonException("The rate-limit service answered without a decision.");
            if (answer.Source == CheckSources.None)
            {
                cache.Set(noPolicy, true, NoPolicyFor);
                return IngestAllowance.Unlimited;
            }

            return new IngestAllowance(answer.Allowed, answer.Headers?.RateLimitPolicy, answer.Headers?.RateLimit, answer.Headers?.RetryAfter);
        }
        catch (Exception exception) when (exception is HttpRequestException or JsonException or Polly.ExecutionRejectedException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            return FailOpen(exception);
        }
    }

    private IngestAllowance FailOpen(Exception exception)
    {
        metrics.RateLimitFailures.Add(1);
        LogFailedOpen(logger, exception);
        return IngestAllowance.Unlimited;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rate-limit service could not decide; the post is let in")]
    private static partial void LogFailedOpen(ILogger logger, Exception exception);
}
