namespace SentryFlow.Testing;

/// <summary>What one test process writes so the next can use (and finally stop) the servers it started.</summary>
internal sealed record ServersRecord(
    string Password,
    int PostgresPort,
    int PostgresPid,
    int RedisPort,
    int RedisPid,
    int MessagingPort,
    int MessagingPid,
    int EpmdPort,
    int EpmdPid);
