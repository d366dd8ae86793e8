namespace SentryFlow.Testing;

/// <summary>flock-based locks between test processes (.NET maps FileShare.None to LOCK_EX, other shares to LOCK_SH).</summary>
internal static class FileLock
{
    public static async Task<FileStream> AcquireExclusiveAsync(string path, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (TryOpen(path, FileShare.None) is { } stream)
            {
                return stream;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Timed out waiting for {path}.");
            }

            await Task.Delay(100);
        }
    }

    public static FileStream Shared(string path) =>
        TryOpen(path, FileShare.ReadWrite) ?? throw new InvalidOperationException($"Could not take a shared lock on {path}.");

    public static FileStream? TryOpen(string path, FileShare share)
    {
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, share);
        }
        catch (IOException)
        {
            return null;
        }
    }
}
