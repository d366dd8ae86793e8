using System.Net.Sockets;
using System.Text;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>Redis 7 from Debian's packages, password-protected and bound to 127.0.0.1.</summary>
public static class RedisServer
{
    public static DebianPackage Package { get; } = new("redis-server", "/usr/bin/redis-server");

    /// <summary>
    /// Writes the server's configuration into <paramref name="folder"/> (mode 600: it holds the password, which must
    /// never be on a command line that <c>ps</c> shows) and returns its path. <paramref name="persistent"/> snapshots
    /// the data into the folder (the AppHost keeps data between runs; the test harness does not).
    /// </summary>
    public static async Task<string> WriteConfigurationAsync(string folder, string password, bool persistent, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var config = Path.Combine(folder, "redis.conf");
        await SecretFile.WriteAsync(config, string.Join('\n',
        [
            "bind 127.0.0.1",
            "protected-mode yes",
            "daemonize no",
            "logfile \"\"",
            $"dir \"{folder}\"",
            persistent ? "save 60 1" : "save \"\"",
            "appendonly no",
            $"requirepass \"{password}\"",
        ]) + "\n", cancellationToken);
        return config;
    }

    /// <summary>The server on 127.0.0.1:<paramref name="port"/>; SIGTERM is its clean shutdown.</summary>
    public static ServerCommand Command(string configuration, int port) =>
        new("/usr/bin/redis-server", [configuration, "--port", port.ToString()]);

    public static string ConnectionString(int port, string password) => $"127.0.0.1:{port},password={password}";

    /// <returns>Null when the server answers AUTH and PING, else why not.</returns>
    public static async Task<string?> CheckHealthAsync(int port, string password, CancellationToken cancellationToken)
    {
        try
        {
            var request = Encoding.ASCII.GetBytes($"AUTH {password}\r\nPING\r\n");
            var answer = await TcpProbe.ExchangeAsync(port, request,
                (buffer, length) => Encoding.ASCII.GetString(buffer, 0, length) is var text && (text.Contains("PONG") || text.Contains("-ERR")),
                cancellationToken);
            return Encoding.ASCII.GetString(answer).Contains("+PONG") ? null : $"PING answered: {TcpProbe.Describe(answer).Split('\n')[^1]}";
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return e.Message;
        }
    }
}
