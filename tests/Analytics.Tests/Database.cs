using Npgsql;
using SentryFlow.Testing;

namespace SentryFlow.Analytics.Tests;

/// <summary>Reads the factory's analytics database directly, for what has no API (tables other services read).</summary>
public static class Database
{
    public static async Task<T?> ScalarAsync<T>(ServiceFactory<Program> factory, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(factory.Servers.PostgresDatabase(factory.DatabaseName));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }

    public static async Task ExecuteAsync(ServiceFactory<Program> factory, string sql, params object[] parameters)
    {
        await using var connection = new NpgsqlConnection(factory.Servers.PostgresDatabase(factory.DatabaseName));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Polls <paramref name="condition"/> until it holds (or fails the test after 45 s: the machine is shared and noisy).</summary>
    public static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var stopwatch = System.Diagnostics.Stopwatch.StartNew();
        while (!await condition())
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(45), $"timed out waiting for {what}");
            await Task.Delay(100);
        }
    }
}
