using Npgsql;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Analytics.Storage;

/// <summary>What became of one batch of a group: how many of its records were new, or why it could not be stored.</summary>
public sealed record GroupOutcome(int Stored, PostgresException? Failure);

/// <summary>
/// Stores a group of batches (of any projects) in one transaction; when PostgreSQL refuses the data of one of them,
/// stores them one by one instead, so the bad batch alone fails and the others (other tenants' among them) are stored.
/// Other failures (the database away, a deadlock) fail the whole group, to be retried as one.
/// </summary>
public sealed class GroupWriter(RecordWriter writer)
{
    public async Task<IReadOnlyList<GroupOutcome>> WriteAsync(IReadOnlyList<RequestRecordsAccepted> batches, CancellationToken cancellationToken)
    {
        try
        {
            return [.. (await writer.WriteAsync(batches, cancellationToken)).Select(stored => new GroupOutcome(stored, null))];
        }
        catch (PostgresException exception) when (IsBadData(exception))
        {
            var outcomes = new List<GroupOutcome>(batches.Count);
            foreach (var batch in batches)
            {
                try
                {
                    outcomes.Add(new GroupOutcome(await writer.WriteAsync(batch, cancellationToken), null));
                }
                catch (PostgresException poison) when (IsBadData(poison))
                {
                    outcomes.Add(new GroupOutcome(0, poison));
                }
            }

            return outcomes;
        }
    }

    /// <summary>PostgreSQL's class 22, data exceptions (a NUL in text, a value out of range): retrying cannot help.</summary>
    public static bool IsBadData(PostgresException exception) => exception.SqlState.StartsWith("22", StringComparison.Ordinal);
}
