using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace SentryFlow.Bench.Faults;

/// <summary>
/// A steady ingest load as a client sends it: a 100-record batch every 100 / rate seconds, each record with a clientId of
/// its own from the current <see cref="Tracker"/>; a refused post (503, 429, another 5xx, no answer within 10 s, no
/// connection) is sent again, the same body with the same ids, after its Retry-After (or a growing delay), until it is
/// accepted or 10 minutes have passed.
/// </summary>
public sealed class FaultLoad(Uri ingest, string key, int recordsPerSecond)
{
    public const int BatchSize = 100;
    private static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(10);
    private readonly HttpClient _http = new(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(5) })
    {
        BaseAddress = ingest,
        Timeout = Timeout.InfiniteTimeSpan,
    };

    private readonly ConcurrentDictionary<Task, bool> _inFlight = new();
    private volatile RecordTracker _tracker = new("unused");

    /// <summary>Where new batches take their ids; a batch stays with the tracker it started in through its retries.</summary>
    public RecordTracker Tracker
    {
        get => _tracker;
        set => _tracker = value;
    }

    /// <summary>Sends batches until <paramref name="stop"/>, then waits for every batch in flight to settle.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        _http.DefaultRequestHeaders.Add("X-Api-Key", key);
        var interval = TimeSpan.FromSeconds((double)BatchSize / recordsPerSecond);
        var clock = Stopwatch.StartNew();
        for (long batch = 0; !stop.IsCancellationRequested; batch++)
        {
            // Paced by the clock, not by the sends: a slow answer does not slow the load.
            var due = interval * batch - clock.Elapsed;
            if (due > TimeSpan.Zero)
            {
                try
                {
                    await Task.Delay(due, stop);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            var tracker = _tracker;
            var send = SendAsync(tracker, tracker.NewBatch(BatchSize));
            _inFlight[send] = true;
            _ = send.ContinueWith(t => _inFlight.TryRemove(t, out _), TaskScheduler.Default);
        }

        await Task.WhenAll(_inFlight.Keys);
    }

    private async Task SendAsync(RecordTracker tracker, IReadOnlyList<string> ids)
    {
        var now = DateTimeOffset.UtcNow;
        var body = JsonSerializer.SerializeToUtf8Bytes(ids.Select((id, i) => new
        {
            clientId = id, timestamp = now, method = "GET", host = "api.faults.test", path = $"/orders/{i}", route = "/orders/{id}",
            status = i % 20 == 0 ? 500 : 200, durationMs = 5.0 + i % 30, consumer = $"customer-{i % 10}",
        }));
        var started = Stopwatch.StartNew();
        for (var attempt = 1; ; attempt++)
        {
            var (outcome, rejected, retryAfter) = await PostAsync(body);
            if (!tracker.Answered(ids, outcome, rejected))
            {
                return;
            }

            if (started.Elapsed > GiveUpAfter)
            {
                tracker.GaveUp(ids);
                return;
            }

            // Retry-After when the answer has one; otherwise 1, 2, 4, then 5 s between tries.
            await Task.Delay(retryAfter ?? TimeSpan.FromSeconds(Math.Min(5, Math.Pow(2, Math.Min(attempt - 1, 3)))));
        }
    }

    private async Task<(PostOutcome Outcome, IReadOnlyCollection<int>? Rejected, TimeSpan? RetryAfter)> PostAsync(byte[] body)
    {
        using var timeout = new CancellationTokenSource(PostTimeout);
        try
        {
            var content = new ByteArrayContent(body);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var response = await _http.PostAsync("/v1/requests/batch", content, timeout.Token);
            var retryAfter = response.Headers.RetryAfter?.Delta;
            var status = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.Accepted)
            {
                var answer = await response.Content.ReadFromJsonAsync<JsonElement>(timeout.Token);
                return (PostOutcome.Accepted, [.. answer.GetProperty("rejected").EnumerateArray().Select(r => r.GetProperty("index").GetInt32())], null);
            }

            var outcome = status switch
            {
                503 => PostOutcome.Unavailable,
                429 => PostOutcome.RateLimited,
                >= 500 => PostOutcome.ServerError,
                _ => PostOutcome.ClientError,
            };
            return (outcome, null, retryAfter);
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
        {
            return (PostOutcome.NoAnswer, null, null);
        }
    }
}
