using System.Diagnostics;
using System.Net.Http.Json;
using Microsoft.Extensions.Options;
using SentryFlow.Samples.TrafficGenerator.Bootstrap;
using SentryFlow.Samples.TrafficGenerator.Traffic;

namespace SentryFlow.Samples.TrafficGenerator;

/// <summary>
/// Bootstraps the demo tenant (retrying until the services answer) and then sends the plan's traffic to the orders
/// API for as long as it runs, logging a summary of what the consumers saw every <see cref="DemoOptions.SummaryEvery"/>.
/// A request that gets no answer (the API or gateway restarting) is counted, not retried: traffic goes on.
/// </summary>
public sealed class DemoWorker(
    DemoBootstrapper bootstrapper,
    TrafficPlan plan,
    OrdersRequests requests,
    TrafficStats stats,
    IHttpClientFactory httpClients,
    IOptions<DemoOptions> options,
    TimeProvider time,
    ILogger<DemoWorker> logger) : BackgroundService
{
    public const string OrdersClient = "orders";

    /// <summary>Requests in flight at most; beyond it a planned request is skipped (the API is too slow to keep up).</summary>
    public const int MaxInFlight = 256;

    // Never disposed: sends still running at shutdown release it (it has no wait handle to free).
    private readonly SemaphoreSlim _inFlight = new(MaxInFlight);
    private long _skipped;

    /// <summary>The tenant once bootstrapped (null before).</summary>
    public DemoTenant? Tenant { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var tenant = await Backoff.RetryAsync(ct => bootstrapper.RunAsync(plan.Consumers, ct), "bootstrap the demo tenant", logger, time, stoppingToken);
        Tenant = tenant;
        logger.LogInformation(
            "Sending traffic to {Orders} for consumers {Consumers}; a simulated day lasts {DayLength}",
            options.Value.OrdersUrl, string.Join(", ", plan.Consumers.Select(c => c.Owner)), plan.Curve.DayLength);

        var client = httpClients.CreateClient(OrdersClient);
        var schedule = new TrafficSchedule(plan, time);
        var nextSummary = time.GetUtcNow() + options.Value.SummaryEvery;
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var planned in schedule.TakeDue())
            {
                if (!_inFlight.Wait(0, CancellationToken.None))
                {
                    Interlocked.Increment(ref _skipped);
                    continue;
                }

                _ = SendAsync(client, planned, tenant, stoppingToken);
            }

            if (time.GetUtcNow() >= nextSummary)
            {
                LogSummary(schedule);
                nextSummary += options.Value.SummaryEvery;
            }

            var wait = schedule.UntilNext();
            try
            {
                await Task.Delay(wait < TimeSpan.FromMilliseconds(5) ? TimeSpan.FromMilliseconds(5) : wait, time, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
        }
    }

    private async Task SendAsync(HttpClient client, PlannedRequest planned, DemoTenant tenant, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var status = TrafficStats.Unreachable;
        try
        {
            using var request = requests.Create(planned, tenant.ConsumerKeys.GetValueOrDefault(planned.Consumer)?.Secret);
            using var response = await client.SendAsync(request, cancellationToken);
            status = (int)response.StatusCode;
            if (planned.Kind == RequestKind.CreateOrder && status == 201
                && await response.Content.ReadFromJsonAsync<CreatedOrder>(cancellationToken) is { } created)
            {
                requests.Created(planned.Consumer, created.Id);
            }
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            // No answer: counted as unreachable (status 0).
        }
        finally
        {
            if (!cancellationToken.IsCancellationRequested)
            {
                stats.Record(planned.Consumer, status, Stopwatch.GetElapsedTime(started));
            }

            _inFlight.Release();
        }
    }

    private void LogSummary(TrafficSchedule schedule)
    {
        var summary = stats.TakeSummary();
        logger.LogInformation(
            "Last {Period}: {Total} requests at {Hour:00}:00 simulated time; {Ok} 2xx, {ClientErrors} 4xx, {RateLimited} rate-limited (429), " +
            "{ServerErrors} 5xx, {Unreachable} unanswered; as the consumers saw it p50 {P50:0} ms, p95 {P95:0} ms, p99 {P99:0} ms; {Skipped} not sent (too many in flight)",
            options.Value.SummaryEvery, summary.Total, Math.Floor(plan.Curve.HourAt(schedule.Elapsed)), summary.Successes, summary.ClientErrors,
            summary.RateLimited, summary.ServerErrors, summary.Unreachable, summary.P50Ms, summary.P95Ms, summary.P99Ms,
            Interlocked.Exchange(ref _skipped, 0));
    }

    private sealed record CreatedOrder(int Id);
}
