using System.Globalization;
using System.Net;
using SentryFlow.Hosting.LocalServers;

namespace SentryFlow.AppHost.Tests;

/// <summary>A process as /proc shows it: enough to find what the AppHost started and what it listens on.</summary>
public sealed record LinuxProcess(int Id, int ParentId, string CommandLine)
{
    public static IReadOnlyList<LinuxProcess> All() =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(dir => int.TryParse(Path.GetFileName(dir), out var pid) ? Read(pid) : null)
            .OfType<LinuxProcess>()];

    public bool IsAlive => ProcessSignals.IsAlive(Id);

    public bool HasEnvironment(string name, string value) => ProcessSignals.HasEnvironmentEntry(Id, $"{name}={value}");

    /// <summary>The addresses this process listens on over TCP (IPv4 and IPv6), from its socket descriptors.</summary>
    public IReadOnlyList<IPEndPoint> ListeningEndpoints()
    {
        var sockets = new HashSet<string>();
        try
        {
            foreach (var descriptor in Directory.EnumerateFileSystemEntries($"/proc/{Id}/fd"))
            {
                var target = new FileInfo(descriptor).LinkTarget;
                if (target is not null && target.StartsWith("socket:[", StringComparison.Ordinal))
                {
                    sockets.Add(target[8..^1]);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        return [.. Listeners("/proc/net/tcp").Concat(Listeners("/proc/net/tcp6")).Where(l => sockets.Contains(l.Inode)).Select(l => l.Endpoint)];
    }

    /// <summary>Rows of /proc/net/tcp in state LISTEN (0A): local address (hex, host byte order per 32-bit word) and inode.</summary>
    private static IEnumerable<(IPEndPoint Endpoint, string Inode)> Listeners(string table)
    {
        foreach (var row in (ReadText(table) ?? "").Split('\n').Skip(1))
        {
            var fields = row.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 10 || fields[3] != "0A")
            {
                continue;
            }

            var (address, port) = (fields[1].Split(':')[0], fields[1].Split(':')[1]);
            var bytes = new byte[address.Length / 2];
            for (var word = 0; word < bytes.Length / 4; word++)
            {
                var value = uint.Parse(address.AsSpan(word * 8, 8), NumberStyles.HexNumber);
                BitConverter.TryWriteBytes(bytes.AsSpan(word * 4, 4), value); // little-endian host: the word's bytes in memory order
            }

            yield return (new IPEndPoint(new IPAddress(bytes), int.Parse(port, NumberStyles.HexNumber)), fields[9]);
        }
    }

    private static LinuxProcess? Read(int pid)
    {
        var stat = ReadText($"/proc/{pid}/stat");
        if (stat is null)
        {
            return null;
        }

        // The state letter and parent follow the command name in parentheses, which may itself hold spaces.
        var rest = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        if (rest[0] is "Z" or "X")
        {
            return null;
        }

        return new LinuxProcess(pid, int.Parse(rest[1]), (ReadText($"/proc/{pid}/cmdline") ?? "").Replace('\0', ' ').Trim());
    }

    private static string? ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
