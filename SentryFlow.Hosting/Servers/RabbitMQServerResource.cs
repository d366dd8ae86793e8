using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using SentryFlow.Hosting.ApplicationModel;
using SentryFlow.Hosting.Orchestration;
using SentryFlow.Hosting.Publishing;

namespace SentryFlow.Hosting.Servers;

/// <summary>RabbitMQ 3.10 from Debian's packages, isolated in the state folder under a node name of its own.</summary>
public sealed class RabbitMQServerResource(string name, ParameterResource password) : ExecutableResource(name), IResourceWithConnectionString
{
    private const string User = "guest";
    private static readonly byte[] ProtocolHeader = "AMQP\0\0\u0009\u0001"u8.ToArray();

    public ParameterResource Password { get; } = password;

    public int Port { get; internal set; }

    public int DistributionPort { get; internal set; }

    public int EpmdPort { get; internal set; }

    /// <summary>A node name derived from the state folder, so two state folders never share a node.</summary>
    public string NodeName { get; internal set; } = "";

    public string ConnectionString => $"amqp://{User}:{Uri.EscapeDataString(Password.Value)}@127.0.0.1:{Port}";

    public string ConnectionStringExpression =>
        $"amqp://{User}:{{{Password.Name}-uri-encoded.value}}@{{{Name}.bindings.tcp.host}}:{{{Name}.bindings.tcp.port}}";

    public override IEnumerable<string> Urls => [$"amqp://127.0.0.1:{Port}"];

    public override IReadOnlyList<DebianPackage> RequiredPackages => [new("rabbitmq-server", "/usr/lib/rabbitmq/bin/rabbitmq-server")];

    public override TimeSpan StartupTimeout => TimeSpan.FromSeconds(120);

    public override TimeSpan StopTimeout => TimeSpan.FromSeconds(30);

    internal override void Allocate(StateDirectory state)
    {
        Port = FreePort.Next();
        DistributionPort = FreePort.Next();
        EpmdPort = FreePort.Next();
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(state.Root)))[..10];
        NodeName = $"sentryflow-{hash}@localhost";
        HomeDirectory = Path.Combine(state.For(Name), "home");
    }

    internal override async Task<ProcessSpec> PrepareAsync(RunContext context, CancellationToken cancellationToken)
    {
        var folder = context.State.For(Name);
        var home = Directory.CreateDirectory(HomeDirectory).FullName;
        var config = Path.Combine(folder, "rabbitmq.conf");
        // default_user/default_pass apply when the node is first created; the password is kept in the state folder.
        await SecretFile.WriteAsync(config, string.Join('\n',
        [
            $"default_user = {User}",
            $"default_pass = {Password.Value}",
            "log.console = true",
            "log.console.level = info",
            "log.file = false",
            // Every health probe is a connection; at info level each would log two lines.
            "log.connection.level = error",
        ]) + "\n", cancellationToken);
        var plugins = Path.Combine(folder, "enabled_plugins");
        await File.WriteAllTextAsync(plugins, "[].", cancellationToken);

        return new ProcessSpec("/usr/lib/rabbitmq/bin/rabbitmq-server", [])
        {
            Environment = new Dictionary<string, string>
            {
                ["HOME"] = home,
                ["RABBITMQ_NODENAME"] = NodeName,
                ["RABBITMQ_NODE_IP_ADDRESS"] = "127.0.0.1",
                ["RABBITMQ_NODE_PORT"] = Port.ToString(),
                ["RABBITMQ_DIST_PORT"] = DistributionPort.ToString(),
                ["ERL_EPMD_PORT"] = EpmdPort.ToString(),
                ["ERL_EPMD_ADDRESS"] = "127.0.0.1",
                ["RABBITMQ_MNESIA_BASE"] = Path.Combine(folder, "mnesia"),
                ["RABBITMQ_LOG_BASE"] = Path.Combine(folder, "log"),
                ["RABBITMQ_ENABLED_PLUGINS_FILE"] = plugins,
                ["RABBITMQ_CONFIG_FILE"] = config,
                ["RABBITMQ_ADVANCED_CONFIG_FILE"] = Path.Combine(folder, "advanced.config"),
                ["RABBITMQ_CONF_ENV_FILE"] = Path.Combine(folder, "rabbitmq-env.conf"),
            },
        };
    }

    /// <summary>Where the Erlang cookie lives; <c>rabbitmqctl</c> must use the same HOME.</summary>
    public string HomeDirectory { get; private set; } = "";

    /// <summary>Adds a virtual host the broker's user may use fully: the test harness gives each test host its own.</summary>
    public async Task AddVirtualHostAsync(string virtualHost, CancellationToken cancellationToken = default)
    {
        foreach (var command in (string[][])[["add_vhost", virtualHost], ["set_permissions", "-p", virtualHost, User, ".*", ".*", ".*"]])
        {
            await CommandRunner.RunAsync("/usr/bin/env",
                [$"HOME={HomeDirectory}", $"ERL_EPMD_PORT={EpmdPort}", "/usr/lib/rabbitmq/bin/rabbitmqctl", "-q", "-n", NodeName, .. command],
                cancellationToken);
        }
    }

    public override async Task<string?> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            // A live broker answers the protocol header with Connection.Start: a method frame (type 1).
            var answer = await TcpProbe.ExchangeAsync(Port, ProtocolHeader, (_, length) => length >= 1, cancellationToken);
            return answer.Length > 0 && answer[0] == 1 ? null : $"AMQP handshake answered: {TcpProbe.Describe(answer)}";
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// The Erlang VM starts epmd as a daemon of its own; stop it (and any VM a killed script left) too. An epmd started
    /// by the VM itself does not always carry <c>ERL_EPMD_PORT</c> in its environment, but it inherits the node name.
    /// </summary>
    internal override Task StopCompanionsAsync() =>
        Task.WhenAll(
            ProcessSignals.FindByEnvironment("beam.smp", $"RABBITMQ_NODENAME={NodeName}")
                .Select(pid => ProcessSignals.StopAsync(pid, ProcessSignals.SIGTERM, TimeSpan.FromSeconds(10)))
                .Concat(ProcessSignals.FindByEnvironment("epmd", $"ERL_EPMD_PORT={EpmdPort}")
                    .Concat(ProcessSignals.FindByEnvironment("epmd", $"RABBITMQ_NODENAME={NodeName}"))
                    .Distinct()
                    .Select(pid => ProcessSignals.StopAsync(pid, ProcessSignals.SIGTERM, TimeSpan.FromSeconds(5)))));

    internal override void WriteManifest(ManifestWriter writer) =>
        writer.WriteContainer(Name, "docker.io/library/rabbitmq:3.10", ConnectionStringExpression, "tcp", "tcp", 5672,
            new()
            {
                ["RABBITMQ_DEFAULT_USER"] = User,
                ["RABBITMQ_DEFAULT_PASS"] = $"{{{Password.Name}.value}}",
            },
            volumeTarget: "/var/lib/rabbitmq",
            uriEncodedParameter: Password.Name);
}
