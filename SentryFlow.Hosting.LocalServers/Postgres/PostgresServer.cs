using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>
/// PostgreSQL 15 from Debian's packages, run as a plain process with its cluster in a folder of ours: what the
/// AppHost's resource runs and what the test harness starts.
/// </summary>
public static class PostgresServer
{
    private const string BinDirectory = "/usr/lib/postgresql/15/bin";
    private const string ServiceUser = "postgres";

    public static DebianPackage Package { get; } = new("postgresql", $"{BinDirectory}/postgres");

    /// <summary>
    /// The cluster's data folder under <paramref name="folder"/>, created with <c>initdb</c> (as the postgres user when
    /// we are root: initdb refuses root) on first use, with <paramref name="password"/> for the <c>postgres</c> role
    /// over TCP. When the postgres user cannot reach <paramref name="folder"/> (a checkout under /root, say), the cluster
    /// lives in a folder of that user's own, named after <paramref name="folder"/> so two checkouts never share one.
    /// </summary>
    public static async Task<string> InitializeAsync(string folder, string password, Action<string> log, CancellationToken cancellationToken)
    {
        var root = await DataRootAsync(folder, log, cancellationToken);
        var data = Path.Combine(root, "data");
        if (root != folder)
        {
            // The state folder is the truth: a cluster kept elsewhere for it belongs to it only while the folder says
            // so. When the folder was emptied (--clean), so were the passwords the cluster was made with.
            var marker = Path.Combine(folder, "cluster-location");
            if (!File.Exists(marker) && Directory.Exists(data))
            {
                log($"the state folder was cleaned: removing the cluster kept for it in {data}");
                Directory.Delete(data, recursive: true);
            }

            await File.WriteAllTextAsync(marker, data, cancellationToken);
        }

        if (File.Exists(Path.Combine(data, "PG_VERSION")))
        {
            return data;
        }

        log($"initializing a new cluster in {data}");
        Directory.CreateDirectory(data);
        var passwordFile = Path.Combine(root, "initdb-password");
        await SecretFile.WriteAsync(passwordFile, password, cancellationToken);
        try
        {
            await GiveToServiceUserAsync(root, cancellationToken);
            await CommandRunner.RunAsync(ServerCommand.AsUser(ServiceUser, $"{BinDirectory}/initdb",
                "-D", data, "-U", "postgres", "--auth-host=scram-sha-256", "--auth-local=trust",
                "-E", "UTF8", "--locale=C.UTF-8", $"--pwfile={passwordFile}"), cancellationToken);
        }
        finally
        {
            File.Delete(passwordFile);
        }

        return data;
    }

    /// <summary>The server on 127.0.0.1:<paramref name="port"/>, stopped by SIGINT (a fast shutdown).</summary>
    public static ServerCommand Command(string dataDirectory, int port) =>
        ServerCommand.AsUser(ServiceUser, $"{BinDirectory}/postgres",
            "-D", dataDirectory, "-p", port.ToString(), "-c", "listen_addresses=127.0.0.1",
            // No Unix socket: clients use TCP, and no socket lock file is left in /var/run.
            "-c", "unix_socket_directories=", "-c", "max_connections=300");

    /// <summary>SIGINT is PostgreSQL's fast shutdown: open transactions roll back and it stops at once.</summary>
    public const string StopSignal = "INT";

    public static string ConnectionString(int port, string password) =>
        $"Host=127.0.0.1;Port={port};Username=postgres;Password={password}";

    /// <returns>Null when the server answers a query, else why not.</returns>
    public static async Task<string?> CheckHealthAsync(string connectionString, CancellationToken cancellationToken)
    {
        try
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=3");
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

    /// <summary>Creates <paramref name="database"/> unless it exists, as Aspire's PostgreSQL integration does for <c>AddDatabase</c>.</summary>
    public static async Task EnsureDatabaseAsync(string serverConnectionString, string database, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(serverConnectionString + ";Database=postgres;Pooling=false");
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = database } },
        };
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"")}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static async Task<string> DataRootAsync(string folder, Action<string> log, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        if (!ProcessSignals.IsRoot)
        {
            return folder;
        }

        await GiveToServiceUserAsync(folder, cancellationToken);
        try
        {
            await CommandRunner.RunAsync(ServerCommand.AsUser(ServiceUser, "test", "-w", folder), cancellationToken);
            return folder;
        }
        catch (InvalidOperationException)
        {
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(folder))))[..12];
            var fallback = Path.Combine("/var/lib/postgresql/sentryflow", hash);
            Directory.CreateDirectory(fallback);
            await CommandRunner.RunAsync("chown", ["postgres:postgres", "/var/lib/postgresql/sentryflow", fallback], cancellationToken);
            log($"the postgres user cannot reach {folder}; keeping the cluster in {fallback}");
            return fallback;
        }
    }

    private static Task GiveToServiceUserAsync(string path, CancellationToken cancellationToken) =>
        ProcessSignals.IsRoot
            ? CommandRunner.RunAsync("chown", ["-R", $"{ServiceUser}:{ServiceUser}", path], cancellationToken)
            : Task.CompletedTask;
}
