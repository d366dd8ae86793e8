using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SentryFlow.Testing;

namespace SentryFlow.Keys.Tests;

/// <summary>A secret appears in the create and rotate answers and nowhere else: no log line, no trace attribute.</summary>
public sealed class SecretHygieneTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<string> _logged = new();
    private readonly ConcurrentQueue<string> _traced = new();
    private readonly ServiceFactory<Program> _factory = new();
    private ActivityListener? _listener;

    public async Task InitializeAsync()
    {
        _factory.Settings["Logging:LogLevel:Default"] = "Trace";
        _factory.ConfigureTestServices = services => services.AddLogging(logging => logging.AddProvider(new CollectingLoggerProvider(_logged)));
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity => _traced.Enqueue(string.Join(' ', activity.DisplayName, activity.TagObjects.Select(t => $"{t.Key}={t.Value}"),
                activity.Events.Select(e => string.Join(' ', e.Name, e.Tags.Select(t => t.Value))))),
        };
        ActivitySource.AddActivityListener(_listener);
        await ((IAsyncLifetime)_factory).InitializeAsync();
    }

    [Fact]
    public async Task The_secret_never_reaches_a_log_line_or_a_trace()
    {
        var client = new KeysClient(_factory);
        var created = await client.CreateAsync(new { name = "hush" });
        var secret = created.GetProperty("secret").GetString()!;
        await client.VerifyAsync(secret);
        using var rotate = await client.Http.PostAsJsonAsync($"{client.KeysUrl}/{created.GetProperty("id").GetGuid()}/rotate", new { gracePeriodSeconds = 5 });
        var rotated = (await rotate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        await client.VerifyAsync(rotated);
        await client.VerifyAsync(secret[..^2] + "xx");
        await Task.Delay(1500); // the usage flush and its SQL

        Assert.NotEmpty(_logged);
        Assert.NotEmpty(_traced);
        foreach (var text in _logged.Concat(_traced))
        {
            Assert.DoesNotContain(secret[8..], text);
            Assert.DoesNotContain(rotated[8..], text);
        }
    }

    public async Task DisposeAsync()
    {
        _listener?.Dispose();
        await _factory.DisposeAsync();
    }

    private sealed class CollectingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CollectingLogger(categoryName, sink);

        public void Dispose()
        {
        }
    }

    private sealed class CollectingLogger(string category, ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Enqueue($"{category} {formatter(state, exception)} {state} {exception}");
    }
}
