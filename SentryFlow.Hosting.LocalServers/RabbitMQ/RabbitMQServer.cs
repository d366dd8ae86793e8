using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>
/// RabbitMQ 3.10 from Debian's packages, isolated in a folder of ours under a node name of its own, and its Erlang
/// port mapper (epmd) as a separate foreground process, both bound to 127.0.0.1: the broker's own epmd would be a
/// daemon listening on every interface that outlives the broker.
/// </summary>
public static class RabbitMQServer
{
    public const string User = "guest";
    private const string CtlPath = "/usr/lib/rabbitmq/bin/rabbitmqctl";
    private static readonly byte[] ProtocolHeader = "AMQP\0\0\u0009\u0001"u8.ToArray();

    public static DebianPackage Package { get; } = new("rabbitmq-server", "/usr/lib/rabbitmq/bin/rabbitmq-server");

    /// <summary>A node name derived from <paramref name="folder"/>, so two folders never share a node.</summary>
    public static string NodeName(string folder) =>
        $"sentryflow-{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(folder))))[..10]}@localhost";

    /// <summary>Where the Erlang cookie lives; <c>rabbitmqctl</c> must use the same HOME.</summary>
    public static string HomeDirectory(string folder) => Path.Combine(folder, "home");

    /// <summary>
    /// Writes the broker's configuration into <paramref name="folder"/>; <paramref name="password"/> becomes the
    /// <c>guest</c> user's when the node is first created.
    /// </summary>
    public static async Task PrepareAsync(string folder, string password, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(HomeDirectory(folder));
        await SecretFile.WriteAsync(Path.Combine(folder, "rabbitmq.conf"), string.Join('\n',
        [
            $"default_user = {User}",
            $"default_pass = {password}",
            // The guest user may connect from loopback only, which is where every client is.
            "log.console = true",
            "log.console.level = info",
            "log.file = false",
            // Every health probe is a connection; at info level each would log two lines.
            "log.connection.level = error",
        ]) + "\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, "enabled_plugins"), "[].", cancellationToken);
    }

    /// <summary>The broker; <see cref="Environment"/> says where it listens. SIGTERM stops it cleanly.</summary>
    public static ServerCommand Command() => new(Package.ProbePath, []);

    /// <summary>
    /// The broker's environment: AMQP on <paramref name="port"/> and Erlang distribution on
    /// <paramref name="distributionPort"/>, both on 127.0.0.1, its folders, and the epmd it must use instead of
    /// starting one. <c>RABBITMQ_ALLOW_INPUT</c> makes the start script exec the Erlang VM (with <c>-noinput</c>)
    /// rather than wait on it in a shell, so the process an orchestrator stops is the VM itself.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Environment(string folder, int port, int distributionPort, int epmdPort) =>
        new Dictionary<string, string>
        {
            ["HOME"] = HomeDirectory(folder),
            ["RABBITMQ_NODENAME"] = NodeName(folder),
            ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_NODE_PORT"] = port.ToString(),
            ["RABBITMQ_DIST_PORT"] = distributionPort.ToString(),
            ["ERL_EPMD_PORT"] = epmdPort.ToString(),
            ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
            ["RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS"] = "-noinput -kernel inet_dist_use_interface {127,0,0,1} -start_epmd false",
            ["RABBITMQ_ALLOW_INPUT"] = "true",
            ["RABBITMQ_MNESIA_BASE"] = Path.Combine(folder, "mnesia"),
            ["RABBITMQ_LOG_BASE"] = Path.Combine(folder, "log"),
            ["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(folder, "enabled_plugins"),
            ["RABBITMQ_CONFIG_FILE"] = Path.Combine(folder, "rabbitmq.conf"),
            ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(folder, "advanced.config"),
            ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(folder, "rabbitmq-env.conf"),
        };

    /// <summary>The Erlang port mapper in the foreground, on 127.0.0.1:<paramref name="port"/> only.</summary>
    public static ServerCommand EpmdCommand(int port) => new("/usr/bin/epmd", ["-address", "127.0.0.1", "-port", port.ToString()]);

    public static string ConnectionString(int port, string password) => $"amqp://{User}:{Uri.EscapeDataString(password)}@127.0.0.1:{port}";

    /// <returns>Null when the broker answers the AMQP protocol header with Connection.Start (a method frame), else why not.</returns>
    public static async Task<string?> CheckHealthAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            var answer = await TcpProbe.ExchangeAsync(port, ProtocolHeader, (_, length) => length >= 1, cancellationToken);
            return answer.Length > 0 && answer[0] == 1 ? null : $"AMQP handshake answered: {TcpProbe.Describe(answer)}";
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return e.Message;
        }
    }

    /// <returns>Null when epmd answers a NAMES request, else why not.</returns>
    public static async Task<string?> CheckEpmdHealthAsync(int port, CancellationToken cancellationToken)
    {
        try
        {
            // NAMES_REQ: a two-byte length (1) and the request code 110; the answer starts with epmd's own port.
            var answer = await TcpProbe.ExchangeAsync(port, [0, 1, 110], (_, length) => length >= 4, cancellationToken);
            return answer.Length >= 4 ? null : $"epmd answered: {TcpProbe.Describe(answer)}";
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return e.Message;
        }
    }

    /// <summary>Adds a virtual host the broker's user may use fully: the test harness gives each test host its own.</summary>
    public static async Task AddVirtualHostAsync(string folder, int epmdPort, string virtualHost, CancellationToken cancellationToken = default)
    {
        foreach (var command in (string[][])[["add_vhost", virtualHost], ["set_permissions", "-p", virtualHost, User, ".*", ".*", ".*"]])
        {
            await CommandRunner.RunAsync("/usr/bin/env",
                [$"HOME={HomeDirectory(folder)}", $"ERL_EPMD_PORT={epmdPort}", CtlPath, "-q", "-n", NodeName(folder), .. command],
                cancellationToken);
        }
    }
}
