using System.Security.Cryptography;
using System.Text.Json;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>
/// The git-ignored folder that holds the servers' data, generated secrets and console logs,
/// kept between runs unless a clean start is asked for. It holds passwords and data: it and each resource's folder are
/// readable by their owner only (0700), so the files in them (logs included) are out of anyone else's reach whatever
/// their own modes, and the secrets file is 0600. Run as root, the folder is 0711 instead: PostgreSQL runs as the
/// postgres user, which must pass through it to reach its own folder (0700, its own); nobody else can list it.
/// </summary>
public sealed class StateDirectory
{
    private const string Alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private readonly object _secretsLock = new();

    /// <summary>Every process a local server runs carries its state folder in this variable: how a test finds leftovers.</summary>
    public const string ProcessVariable = "SENTRYFLOW_STATE";

    public StateDirectory(string root)
    {
        Root = Path.GetFullPath(root);
        CreateOwnerOnly(Root, passable: ProcessSignals.IsRoot);
    }

    /// <summary>A folder only its owner can read, write and enter.</summary>
    public const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    /// <summary>The state folder's own mode when run as root: others may pass through to a folder of theirs, not list or read.</summary>
    public const UnixFileMode PassableFolderMode = FolderMode | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    public string Root { get; }

    private string SecretsPath => Path.Combine(Root, "secrets.json");

    /// <summary>The folder of one resource, created on demand.</summary>
    public string For(string resourceName)
    {
        var path = Path.Combine(Root, resourceName);
        CreateOwnerOnly(path, passable: false);
        return path;
    }

    /// <summary>Deletes everything a previous run kept.</summary>
    public void Clean()
    {
        foreach (var entry in Directory.EnumerateFileSystemEntries(Root))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    /// <summary>Creates the folder with its mode, or narrows it to that mode when it was made before (by an older run).</summary>
    private static void CreateOwnerOnly(string path, bool passable)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
            return;
        }

        var mode = passable ? PassableFolderMode : FolderMode;
        Directory.CreateDirectory(path, mode);
        File.SetUnixFileMode(path, mode); // the process's umask may have narrowed it further; an existing folder keeps its mode otherwise
    }

    /// <summary>A secret generated on first use and kept (mode 600) so data created with it stays usable.</summary>
    public string GetOrCreateSecret(string name, int length)
    {
        lock (_secretsLock)
        {
            var secrets = File.Exists(SecretsPath)
                ? JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(SecretsPath)) ?? []
                : [];
            if (!secrets.TryGetValue(name, out var value))
            {
                value = RandomNumberGenerator.GetString(Alphabet, length);
                secrets[name] = value;
                SecretFile.WriteAsync(SecretsPath, JsonSerializer.Serialize(secrets)).GetAwaiter().GetResult();
            }

            return value;
        }
    }
}
