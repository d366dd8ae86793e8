using System.Net;
using System.Text.Json;
using Microsoft.Extensions.Caching.Memory;

namespace SentryFlow.Ingest.Limits;

/// <summary>
/// A project's ingest limit, decided by the rate-limit service: the project's policy named <see cref="PolicyName"/>
/// (any algorithm), one bucket per project, each post costing its number of items. A project without that policy is
/// not limited (remembered for <see cref="NoPolicyFor"/>, so a policy created later applies within that time).
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
                new { projectId, policy = PolicyName, identifier = projectId.ToString(), cost = items }, cancellationToken);
            var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
            if (response.StatusCode == HttpStatusCode.BadRequest && body.TryGetProperty("errors", out var errors) && errors.TryGetProperty("policy", out _))
            {
                cache.Set(noPolicy, true, NoPolicyFor);
                return IngestAllowance.Unlimited;
            }

            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.TooManyRequests) || !body.TryGetProperty("allowed", out var allowed))
            {
                return FailOpen(new HttpRequestException($"The rate-limit service answered {(int)response.StatusCode}."));
            }

            var headers = body.TryGetProperty("headers", out var h) && h.ValueKind == JsonValueKind.Object ? h : default;
            return new IngestAllowance(allowed.GetBoolean(), Text(headers, "rateLimitPolicy"), Text(headers, "rateLimit"), Text(headers, "retryAfter"));
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

    private static string? Text(JsonElement headers, string name) =>
        headers.ValueKind == JsonValueKind.Object && headers.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rate-limit service could not decide; the post is let in")]
    private static partial void LogFailedOpen(ILogger logger, Exception exception);
}
