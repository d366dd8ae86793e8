using Npgsql;
using NpgsqlTypes;

namespace SentryFlow.Bench;

/// <summary>
/// What a benchmark loaded into a database it keeps (<c>SENTRYFLOW_BENCH_KEEP_DB</c>): the record count, the projects
/// and the end of the loaded time range, in a table of the bench's own beside the service's, so that a later run
/// queries the same data instead of loading it again.
/// </summary>
public sealed record BenchLoad(long Records, Guid[] Projects, DateTimeOffset End)
{
    private const string Table = """CREATE TABLE IF NOT EXISTS public.bench_load ("Records" bigint PRIMARY KEY, "Projects" uuid[] NOT NULL, "End" timestamptz NOT NULL)""";

    /// <summary>The load of <paramref name="records"/> records kept in the database, if any.</summary>
    public static async Task<BenchLoad?> FindAsync(string connectionString, long records)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using (var create = new NpgsqlCommand(Table, connection))
        {
            await create.ExecuteNonQueryAsync();
        }

        await using var find = new NpgsqlCommand("""SELECT "Projects", "End" FROM public.bench_load WHERE "Records" = $1""", connection);
        find.Parameters.Add(new NpgsqlParameter<long> { TypedValue = records });
        await using var reader = await find.ExecuteReaderAsync();
        return await reader.ReadAsync()
            ? new BenchLoad(records, reader.GetFieldValue<Guid[]>(0), new DateTimeOffset(reader.GetFieldValue<DateTime>(1), TimeSpan.Zero))
            : null;
    }

    public async Task SaveAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var save = new NpgsqlCommand("""INSERT INTO public.bench_load VALUES ($1, $2, $3)""", connection);
        save.Parameters.Add(new NpgsqlParameter<long> { TypedValue = Records });
        save.Parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = Projects });
        save.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = End.UtcDateTime, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        await save.ExecuteNonQueryAsync();
    }
}
