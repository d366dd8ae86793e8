using System.Security.Cryptography;
using System.Text.Json;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>
/// The git-ignored folder that holds the servers' data, generated secrets and console logs,
/// kept between runs unless a clean start is asked for.
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
        Directory.CreateDirectory(Root);
    }

    public string Root { get; }

    private string SecretsPath => Path.Combine(Root, "secrets.json");

    /// <summary>The folder of one resource, created on demand.</summary>
    public string For(string resourceName)
    {
        var path = Path.Combine(Root, resourceName);
        Directory.CreateDirectory(path);
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
