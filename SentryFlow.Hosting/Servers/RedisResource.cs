using System.Net.Sockets;
using System.Text;
using SentryFlow.Hosting.ApplicationModel;
using SentryFlow.Hosting.Orchestration;
using SentryFlow.Hosting.Publishing;

namespace SentryFlow.Hosting.Servers;

/// <summary>Redis 7 from Debian's packages, password-protected, bound to 127.0.0.1.</summary>
public sealed class RedisResource(string name, ParameterResource password) : ExecutableResource(name), IResourceWithConnectionString
{
    public ParameterResource Password { get; } = password;

    public int Port { get; internal set; }

    /// <summary>Snapshot to the state folder (the AppHost keeps data between runs); the test harness turns it off.</summary>
    public bool Persistent { get; set; } = true;

    public string ConnectionString => $"127.0.0.1:{Port},password={Password.Value}";

    public string ConnectionStringExpression =>
        $"{{{Name}.bindings.tcp.host}}:{{{Name}.bindings.tcp.port}},password={{{Password.Name}.value}}";

    public override IEnumerable<string> Urls => [$"redis://127.0.0.1:{Port}"];

    public override IReadOnlyList<DebianPackage> RequiredPackages => [new("redis-server", "/usr/bin/redis-server")];

    internal override void Allocate(StateDirectory state) => Port = FreePort.Next();

    internal override async Task<ProcessSpec> PrepareAsync(RunContext context, CancellationToken cancellationToken)
    {
        var folder = context.State.For(Name);
        // The password goes in a mode-600 file, never on a command line that `ps` shows.
        var config = Path.Combine(folder, "redis.conf");
        await SecretFile.WriteAsync(config, string.Join('\n',
        [
            $"port {Port}",
            "bind 127.0.0.1",
            "protected-mode yes",
            "daemonize no",
            "logfile \"\"",
            $"dir \"{folder}\"",
            Persistent ? "save 60 1" : "save \"\"",
            "appendonly no",
            $"requirepass \"{Password.Value}\"",
        ]) + "\n", cancellationToken);
        return new ProcessSpec("/usr/bin/redis-server", [config]);
    }

    public override async Task<string?> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            var request = Encoding.ASCII.GetBytes($"AUTH {Password.Value}\r\nPING\r\n");
            var answer = await TcpProbe.ExchangeAsync(Port, request,
                (buffer, length) => Encoding.ASCII.GetString(buffer, 0, length).Contains("PONG") || Encoding.ASCII.GetString(buffer, 0, length).Contains("-ERR"),
                cancellationToken);
            var text = Encoding.ASCII.GetString(answer);
            return text.Contains("+PONG") ? null : $"PING answered: {TcpProbe.Describe(answer).Split('\n')[^1]}";
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return e.Message;
        }
    }

    internal override void WriteManifest(ManifestWriter writer) =>
        writer.WriteContainer(Name, "docker.io/library/redis:7.4", ConnectionStringExpression, "redis", "tcp", 6379,
            new() { ["REDIS_PASSWORD"] = $"{{{Password.Name}.value}}" },
            volumeTarget: "/data",
            entrypoint: "/bin/sh",
            args: ["-c", "redis-server --requirepass $REDIS_PASSWORD --save 60 1"]);
}
