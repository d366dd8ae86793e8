using System.Collections.Concurrent;
using Npgsql;

namespace SentryFlow.Analytics.Storage;

/// <summary>
/// The daily partitions of the raw records table: made ahead by <see cref="PartitionMaintainer"/> and on demand for
/// the days a batch covers. Days known to exist are remembered, so a batch costs no query for them.
/// </summary>
public sealed class RecordPartitions(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<DateOnly, bool> _known = new();

    /// <summary>Makes sure every day in <paramref name="days"/> has its partition (each in its own short transaction).</summary>
    public async Task EnsureAsync(IEnumerable<DateOnly> days, CancellationToken cancellationToken)
    {
        foreach (var day in days.Distinct())
        {
            if (_known.ContainsKey(day))
            {
                continue;
            }

            await using var command = dataSource.CreateCommand("SELECT analytics.ensure_request_records_partition($1)");
            command.Parameters.Add(new NpgsqlParameter<DateOnly> { TypedValue = day });
            await command.ExecuteScalarAsync(cancellationToken);
            _known[day] = true;
        }
    }

    /// <summary>Forgets that <paramref name="day"/>'s partition exists (retention dropped it; a late record makes it again).</summary>
    public void Forget(DateOnly day) => _known.TryRemove(day, out _);

    /// <summary>Forgets every partition (another instance's retention dropped one this instance knew).</summary>
    public void ForgetAll() => _known.Clear();

    /// <summary>The UTC day <paramref name="timestamp"/> falls on (its partition).</summary>
    public static DateOnly DayOf(DateTimeOffset timestamp) => DateOnly.FromDateTime(timestamp.UtcDateTime);
}
