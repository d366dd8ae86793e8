using Npgsql;
using SentryFlow.Hosting.ApplicationModel;
using SentryFlow.Hosting.Orchestration;
using SentryFlow.Hosting.Publishing;

namespace SentryFlow.Hosting.Servers;

/// <summary>PostgreSQL 15 from Debian's packages, run as a local process with its data in the state folder.</summary>
public sealed class PostgresServerResource(string name, ParameterResource password) : ExecutableResource(name), IResourceWithConnectionString
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string ServiceUser = "postgres";

    public ParameterResource Password { get; } = password;

    public int Port { get; internal set; }

    public List<PostgresDatabaseResource> Databases { get; } = [];

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Password={Password.Value}";

    public string ConnectionStringExpression =>
        $"Host={{{Name}.bindings.tcp.host}};Port={{{Name}.bindings.tcp.port}};Username=postgres;Password={{{Password.Name}.value}}";

    public override IEnumerable<string> Urls => [$"tcp://127.0.0.1:{Port}"];

    public override IReadOnlyList<DebianPackage> RequiredPackages => [new("postgresql", $"{BinDirectory}/postgres")];

    /// <summary>SIGINT is PostgreSQL's "fast shutdown": roll back open transactions and stop.</summary>
    public override int StopSignal => ProcessSignals.SIGINT;

    internal override void Allocate(StateDirectory state) => Port = FreePort.Next();

    internal override async Task<ProcessSpec> PrepareAsync(RunContext context, CancellationToken cancellationToken)
    {
        var root = await DataRootAsync(context, cancellationToken);
        var data = Path.Combine(root, "data");
        if (!File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            context.Console.Info(Name, $"initializing a new cluster in {data}");
            Directory.CreateDirectory(data);
            var passwordFile = Path.Combine(root, "initdb-password");
            await SecretFile.WriteAsync(passwordFile, Password.Value, cancellationToken);
            try
            {
                await GiveToServiceUserAsync(root, cancellationToken);
                var (file, args) = CommandRunner.AsUser(ServiceUser, $"{BinDirectory}/initdb",
                    "-D", data, "-U", "postgres", "--auth-host=scram-sha-256", "--auth-local=trust",
                    "-E", "UTF8", "--locale=C.UTF-8", $"--pwfile={passwordFile}");
                await CommandRunner.RunAsync(file, args, cancellationToken);
            }
            finally
            {
                File.Delete(passwordFile);
            }
        }

        var (fileName, arguments) = CommandRunner.AsUser(ServiceUser, $"{BinDirectory}/postgres",
            "-D", data, "-p", Port.ToString(), "-c", "listen_addresses=127.0.0.1",
            // No Unix socket: clients use TCP, and no socket lock file is left in /var/run.
            "-c", "unix_socket_directories=", "-c", "max_connections=300");
        return new ProcessSpec(fileName, arguments);
    }

    public override async Task<string?> CheckHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false;Timeout=3");
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand("SELECT 1", connection);
            await command.ExecuteScalarAsync(cancellationToken);
            return null;
        }
        catch (Exception e) when (e is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            return e.Message;
        }
    }

    /// <summary>Creates the databases declared with <c>AddDatabase</c>, as Aspire does once the server is up.</summary>
    internal override async Task OnFirstHealthyAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        foreach (var database in Databases)
        {
            await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
            {
                Parameters = { new() { Value = database.DatabaseName } },
            };
            if (await exists.ExecuteScalarAsync(cancellationToken) is null)
            {
                await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.DatabaseName}\"", connection);
                await create.ExecuteNonQueryAsync(cancellationToken);
            }
        }
    }

    internal override void WriteManifest(ManifestWriter writer) =>
        writer.WriteContainer(Name, "docker.io/library/postgres:15.10", ConnectionStringExpression, "tcp", "tcp", 5432,
            new()
            {
                ["POSTGRES_HOST_AUTH_METHOD"] = "scram-sha-256",
                ["POSTGRES_INITDB_ARGS"] = "--auth-host=scram-sha-256 --auth-local=scram-sha-256",
                ["POSTGRES_USER"] = "postgres",
                ["POSTGRES_PASSWORD"] = $"{{{Password.Name}.value}}",
            },
            volumeTarget: "/var/lib/postgresql/data");

    /// <summary>
    /// The state folder, when the postgres user can reach it; otherwise (a checkout under /root, say) a folder of
    /// that user's own, named after the state folder so two checkouts never share a cluster.
    /// </summary>
    private async Task<string> DataRootAsync(RunContext context, CancellationToken cancellationToken)
    {
        var root = context.State.For(Name);
        if (!ProcessSignals.IsRoot)
        {
            return root;
        }

        await GiveToServiceUserAsync(root, cancellationToken);
        try
        {
            var (file, args) = CommandRunner.AsUser(ServiceUser, "test", "-w", root);
            await CommandRunner.RunAsync(file, args, cancellationToken);
            return root;
        }
        catch (InvalidOperationException)
        {
            var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(root)))[..12];
            var fallback = Path.Combine("/var/lib/postgresql/sentryflow", hash);
            Directory.CreateDirectory(fallback);
            await CommandRunner.RunAsync("chown", ["postgres:postgres", "/var/lib/postgresql/sentryflow", fallback], cancellationToken);
            context.Console.Info(Name, $"the postgres user cannot reach {root}; keeping the cluster in {fallback}");
            return fallback;
        }
    }

    private static Task GiveToServiceUserAsync(string path, CancellationToken cancellationToken) =>
        ProcessSignals.IsRoot
            ? CommandRunner.RunAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", path], cancellationToken)
            : Task.CompletedTask;
}
