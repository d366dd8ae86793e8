using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Trace;

namespace SentryFlow.ServiceDefaults.Tests;

/// <summary>Traces are recorded where a collector takes them, and not otherwise (making them cost a fifth of a rate-limit decision's CPU).</summary>
public sealed class TracingTests
{
    [Fact]
    public async Task Tracing_is_registered_only_with_an_otlp_endpoint()
    {
        await using (var without = await TestApp.StartAsync([]))
        {
            Assert.Null(without.Services.GetService<TracerProvider>());
        }

        // Nothing listens there: the exporter's failures to send are its own business, the test only looks at the provider.
        await using var with = await TestApp.StartAsync(new() { ["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://127.0.0.1:9" });
        Assert.NotNull(with.Services.GetService<TracerProvider>());
    }
}
