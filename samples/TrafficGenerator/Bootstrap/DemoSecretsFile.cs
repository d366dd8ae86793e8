using System.Text.Json;

namespace SentryFlow.Samples.TrafficGenerator.Bootstrap;

/// <summary>
/// The issued keys' secrets, kept between runs in a file only its owner may read (keys shows a secret once: without
/// the file a restart would have to rotate every key), and the orders API's settings file with its ingest key.
/// </summary>
/// <summary>What the file keeps: the keys by name and the orders API's machine client.</summary>
public sealed record KeptSecrets(Dictionary<string, IssuedKey> Keys, IssuedClient? OrdersClient);

public sealed class DemoSecretsFile(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public KeptSecrets Load()
    {
        if (!File.Exists(path))
        {
            return new KeptSecrets([], null);
        }

        try
        {
            return JsonSerializer.Deserialize<KeptSecrets>(File.ReadAllText(path), Json) ?? new KeptSecrets([], null);
        }
        catch (JsonException)
        {
            return new KeptSecrets([], null); // unreadable: the keys are rotated and the file written anew
        }
    }

    public void Save(KeptSecrets secrets) => WriteOwnerOnly(path, JsonSerializer.Serialize(secrets, Json));

    /// <summary>
    /// The orders API's configuration file: its SentryFlow section (the SDK's), with the ingest key it records with
    /// and the machine client it asks rate-limit's decisions as.
    /// </summary>
    public static void WriteOrdersSettings(string path, DemoTenant tenant) =>
        WriteOwnerOnly(path, JsonSerializer.Serialize(new
        {
            SentryFlow = new
            {
                tenant.ProjectId,
                IngestKey = tenant.IngestKey.Secret,
                RateLimits = new { Enabled = true, tenant.OrdersClient.ClientId, tenant.OrdersClient.ClientSecret },
            },
        }));

    private static void WriteOwnerOnly(string path, string contents)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // Written beside and moved over, so a reader never sees half a file; narrowed before the secret is in it.
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, "");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.WriteAllText(temporary, contents);
        File.Move(temporary, path, overwrite: true);
    }
}
