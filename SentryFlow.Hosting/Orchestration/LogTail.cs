using System.Text;

namespace SentryFlow.Hosting.Orchestration;

/// <summary>
/// Follows a process's console log file, handing each new line on and keeping the last few for failure
/// reports. Servers write to files rather than pipes so they survive the process that launched them.
/// </summary>
public sealed class LogTail(string path, Action<string> onLine, int keep = 40)
{
    private readonly Queue<string> _last = new();

    public IReadOnlyList<string> LastLines
    {
        get
        {
            lock (_last)
            {
                return [.. _last];
            }
        }
    }

    public async Task FollowAsync(CancellationToken cancellationToken)
    {
        long offset = 0;
        var pending = new StringBuilder();
        while (true)
        {
            ReadNew(ref offset, pending);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await Task.Delay(150, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // One last read, so the final lines of a stopped process are not lost.
                ReadNew(ref offset, pending);
                return;
            }
        }
    }

    private void ReadNew(ref long offset, StringBuilder pending)
    {
        if (!File.Exists(path))
        {
            return;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        if (stream.Length < offset)
        {
            offset = 0;
        }

        stream.Seek(offset, SeekOrigin.Begin);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        pending.Append(reader.ReadToEnd());
        offset = stream.Length;
        var text = pending.ToString();
        var lastNewline = text.LastIndexOf('\n');
        if (lastNewline < 0)
        {
            return;
        }

        foreach (var line in text[..lastNewline].Split('\n'))
        {
            var trimmed = line.TrimEnd('\r');
            lock (_last)
            {
                _last.Enqueue(trimmed);
                if (_last.Count > keep)
                {
                    _last.Dequeue();
                }
            }

            onLine(trimmed);
        }

        pending.Clear().Append(text[(lastNewline + 1)..]);
    }
}
