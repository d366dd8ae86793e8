namespace SentryFlow.Hosting.LocalServers;

/// <summary>Writes files that hold secrets (passwords, server configs) readable by their owner only.</summary>
internal static class SecretFile
{
    public static async Task WriteAsync(string path, string contents, CancellationToken cancellationToken = default)
    {
        await File.WriteAllTextAsync(path, "", cancellationToken);
        // Narrow the mode before the secret is in the file.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        await File.WriteAllTextAsync(path, contents, cancellationToken);
    }
}
