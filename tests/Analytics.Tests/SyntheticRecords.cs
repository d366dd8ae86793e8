using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Analytics.Tests;

/// <summary>Reproducible synthetic traffic: a few routes, methods, consumers and statuses, long-tailed latencies.</summary>
public static class SyntheticRecords
{
    public static readonly string?[] Routes = ["/orders/{id}", "/orders", "/users/{id}", "/health", null];

    public static readonly string[] Consumers = ["customer-1", "customer-2", "customer-3"];

    /// <summary><paramref name="count"/> records spread over <paramref name="minutes"/> minutes from <paramref name="start"/>, each at its own millisecond.</summary>
    public static List<RequestRecord> Make(int seed, int count, DateTimeOffset start, int minutes)
    {
        var random = new Random(seed);
        var spacing = minutes * 60_000 / count;
        return [.. Enumerable.Range(0, count).Select(i =>
        {
            var route = Routes[random.Next(Routes.Length)];
            var roll = random.Next(100);
            var status = roll < 80 ? 200 : roll < 88 ? 404 : roll < 93 ? 429 : roll < 98 ? 500 : 503;
            return new RequestRecord(
                Guid.NewGuid(),
                random.Next(10) == 0 ? null : $"c-{seed}-{i}",
                start.AddMilliseconds((i * spacing) + random.Next(spacing)),
                random.Next(4) == 0 ? "POST" : "GET",
                "api.example.com",
                route?.Replace("{id}", random.Next(1000).ToString(), StringComparison.Ordinal) ?? $"/misc/{i}",
                route,
                status,
                Math.Round(Math.Exp(random.NextDouble() * 7) * (status >= 500 ? 3 : 1), 3),
                random.Next(3) == 0 ? null : random.Next(0, 5000),
                random.Next(0, 50_000),
                random.Next(8) == 0 ? null : Consumers[random.Next(Consumers.Length)],
                "203.0.113.7",
                "test-agent/1.0",
                null,
                status >= 500 ? "Upstream" : null,
                status >= 500 ? "the upstream failed" : null,
                null,
                null,
                null,
                null);
        })];
    }
}
