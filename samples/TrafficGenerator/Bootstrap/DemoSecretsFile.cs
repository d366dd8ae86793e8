using System.Text.Json;

namespace SentryFlow.Samples.TrafficGenerator.Bootstrap;

/// <summary>
/// The issued keys' secrets, kept between runs in a file only its owner may read (keys shows a secret once: without
/// the file a restart would have to rotate every key), and the orders API's settings file with its ingest key.
/// </summary>
public sealed class DemoSecretsFile(string path)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public IReadOnlyDictionary<string, IssuedKey> Load()
    {
        if (!File.Exists(path))
        {
            return new Dictionary<string, IssuedKey>();
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, IssuedKey>>(File.ReadAllText(path), Json) ?? [];
        }
        catch (JsonException)
        {
            return new Dictionary<string, IssuedKey>(); // unreadable: the keys are rotated and the file written anew
        }
    }

    public void Save(IReadOnlyDictionary<string, IssuedKey> keys) => WriteOwnerOnly(path, JsonSerializer.Serialize(keys, Json));

    /// <summary>The orders API's configuration file: its SentryFlow section, with the ingest key it records with.</summary>
    public static void WriteOrdersSettings(string path, IssuedKey ingestKey) =>
        WriteOwnerOnly(path, JsonSerializer.Serialize(new { SentryFlow = new { IngestKey = ingestKey.Secret } }, Json));

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
