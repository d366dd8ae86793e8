using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace SentryFlow.AppHost.Tests;

/// <summary>
/// The AppHost's log (Aspire's own lines and every resource's console, which the testing builder forwards to
/// <c>SentryFlow.AppHost.Resources.&lt;name&gt;</c>), kept in memory so a failing journey can show what the system said.
/// Bounded: the oldest lines go first.
/// </summary>
public sealed class JourneyLog : ILoggerProvider
{
    private const int MaxLines = 20_000;
    private readonly ConcurrentQueue<(LogLevel Level, string Text)> _lines = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <summary>The last <paramref name="count"/> lines logged at <paramref name="minimum"/> or above.</summary>
    public string Tail(int count, LogLevel minimum = LogLevel.Trace)
    {
        var lines = _lines.ToArray().Where(l => l.Level >= minimum).Select(l => l.Text).ToList();
        return string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Count - count)));
    }

    public void Dispose()
    {
    }

    private void Add(LogLevel level, string text)
    {
        _lines.Enqueue((level, text));
        while (_lines.Count > MaxLines && _lines.TryDequeue(out _))
        {
        }
    }

    private sealed class Logger(JourneyLog log, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var time = DateTime.UtcNow.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture);
            var line = $"{time} {Level(logLevel)} {category}: {formatter(state, exception)}";
            log.Add(logLevel, exception is null ? line : $"{line}{Environment.NewLine}{exception}");
        }

        private static string Level(LogLevel level) => level switch
        {
            LogLevel.Trace => "trce",
            LogLevel.Debug => "dbug",
            LogLevel.Information => "info",
            LogLevel.Warning => "warn",
            LogLevel.Error => "fail",
            _ => "crit",
        };
    }
}
