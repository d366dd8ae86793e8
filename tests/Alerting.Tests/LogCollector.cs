using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace SentryFlow.Alerting.Tests;

/// <summary>Every log line the service writes (message and exception), to prove a secret never reaches a log.</summary>
public sealed class LogCollector : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Collector(LogCollector collector, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            collector.Lines.Enqueue($"{category}: {formatter(state, exception)} {exception}");
    }
}
