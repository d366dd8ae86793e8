using System.Net.Sockets;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using RabbitMQ.Client.Exceptions;
using StackExchange.Redis;

namespace SentryFlow.ServiceDefaults.Messaging;

/// <summary>
/// Tells a failure that passes once a server is back (PostgreSQL, Redis or the broker unreachable, starting up, in
/// recovery, a timeout) from one caused by the message itself: the first is retried for minutes, the second goes to
/// the error queue after a few quick retries.
/// </summary>
public static class TransientFailures
{
    /// <summary>Whether <paramref name="exception"/>, or any exception inside it, is transient.</summary>
    public static bool IsTransient(Exception? exception)
    {
        for (var depth = 0; exception is not null && depth < 16; depth++)
        {
            if (exception is AggregateException aggregate && aggregate.InnerExceptions.Any(IsTransient))
            {
                return true;
            }

            if (IsTransientItself(exception))
            {
                return true;
            }

            exception = exception.InnerException;
        }

        return false;
    }

    private static bool IsTransientItself(Exception exception) => exception switch
    {
        // Class 08 (connection), 53 (resources), 57P01-57P03 (shutting down, starting up, in recovery), 40001/40P01;
        // Npgsql's own IsTransient covers those and a connection that could not be opened or broke (sockets, timeouts).
        PostgresException postgres => postgres.IsTransient
            || postgres.SqlState.StartsWith("08", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("57P", StringComparison.Ordinal)
            || postgres.SqlState.StartsWith("53", StringComparison.Ordinal),
        NpgsqlException npgsql => npgsql.IsTransient,
        // EF Core's execution strategy gave up retrying a transient failure; the outage may last longer than it waits.
        RetryLimitExceededException => true,
        SocketException or TimeoutException => true,
        RedisConnectionException or RedisTimeoutException => true,
        // The broker went away under a consumer that publishes or sends.
        AlreadyClosedException or BrokerUnreachableException or ConnectFailureException => true,
        OperationInterruptedException interrupted => interrupted.ShutdownReason?.Initiator != RabbitMQ.Client.ShutdownInitiator.Application,
        RequestTimeoutException or ConnectionException => true,
        HttpRequestException http => http.StatusCode is null || (int)http.StatusCode >= 500,
        _ => false,
    };
}
