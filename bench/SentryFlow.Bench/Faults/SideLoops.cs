using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace SentryFlow.Bench.Faults;

/// <summary>
/// What runs beside the load: keys' verify called every 100 ms with the ingest key (each call timed, 2 s at most), and
/// every service's /health polled every 500 ms (2 s at most: a bounded check answers within its 800 ms).
/// </summary>
public sealed class SideLoops(FaultSystem system, string key)
{
    private static readonly TimeSpan VerifyInterval = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan HealthInterval = TimeSpan.FromMilliseconds(500);
    private readonly ConcurrentQueue<VerifyCall> _verify = new();
    private readonly ConcurrentQueue<HealthSample> _health = new();

    public IReadOnlyList<VerifyCall> VerifyCalls(DateTimeOffset from, DateTimeOffset to) => [.. _verify.Where(c => c.At >= from && c.At <= to)];

    public IReadOnlyList<HealthSample> HealthSamples => [.. _health];

    public Task RunAsync(CancellationToken stop) =>
        Task.WhenAll([VerifyAsync(stop), .. FaultSystem.ServiceNames.Select(service => PollHealthAsync(service, stop))]);

    private async Task VerifyAsync(CancellationToken stop)
    {
        using var http = new HttpClient { BaseAddress = system.ServiceAddress(Contracts.SentryFlowResources.Keys), Timeout = TimeSpan.FromSeconds(2) };
        var request = new { key, permissions = "ingest:write" };
        while (!stop.IsCancellationRequested)
        {
            var at = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            bool valid;
            try
            {
                using var response = await http.PostAsJsonAsync("/v1/keys/verify", request, CancellationToken.None);
                valid = response.IsSuccessStatusCode && (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("valid").GetBoolean();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                valid = false;
            }

            _verify.Enqueue(new VerifyCall(at, clock.Elapsed.TotalMilliseconds, valid));
            await Pause(VerifyInterval - clock.Elapsed, stop);
        }
    }

    private async Task PollHealthAsync(string service, CancellationToken stop)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        while (!stop.IsCancellationRequested)
        {
            var at = DateTimeOffset.UtcNow;
            var clock = Stopwatch.StartNew();
            _health.Enqueue(new HealthSample(service, at, await system.HealthAsync(http, service)));
            await Pause(HealthInterval - clock.Elapsed, stop);
        }
    }

    private static async Task Pause(TimeSpan wait, CancellationToken stop)
    {
        try
        {
            await Task.Delay(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, stop);
        }
        catch (OperationCanceledException)
        {
        }
    }
}
