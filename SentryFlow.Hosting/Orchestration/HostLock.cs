namespace SentryFlow.Hosting.Orchestration;

/// <summary>An exclusive lock file (flock) held while the AppHost runs, and removed when it stops.</summary>
public sealed class HostLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _path;

    private HostLock(FileStream stream, string path)
    {
        _stream = stream;
        _path = path;
    }

    public static HostLock Acquire(string path)
    {
        try
        {
            // On Linux, FileShare.None takes an exclusive flock; it is released if we die, so no stale lock can block.
            var stream = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            stream.SetLength(0);
            using (var writer = new StreamWriter(stream, leaveOpen: true))
            {
                writer.Write(Environment.ProcessId);
            }

            return new HostLock(stream, path);
        }
        catch (IOException)
        {
            throw new InvalidOperationException($"Another AppHost is running on this state folder (lock: {path}). Stop it first.");
        }
    }

    public void Dispose()
    {
        File.Delete(_path);
        _stream.Dispose();
    }
}
