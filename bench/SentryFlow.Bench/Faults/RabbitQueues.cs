using System.Globalization;

namespace SentryFlow.Bench.Faults;

/// <summary>Reads <c>rabbitmqctl -q list_queues name messages</c>: a queue a line, its name and count tab-separated.</summary>
public static class RabbitQueues
{
    /// <summary>MassTransit's dead-letter queues: the receive endpoint's name with <c>_error</c>.</summary>
    public static bool IsErrorQueue(string name) => name.EndsWith("_error", StringComparison.Ordinal);

    public static IReadOnlyDictionary<string, long> Parse(string output)
    {
        var queues = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Header lines ("Timeout: ...", "name	messages") have no count in their last field.
            var fields = line.Split('\t');
            if (fields.Length == 2 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var messages))
            {
                queues[fields[0]] = messages;
            }
        }

        return queues;
    }
}
