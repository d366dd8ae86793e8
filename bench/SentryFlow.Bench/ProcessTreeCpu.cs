using System.Globalization;

namespace SentryFlow.Bench;

/// <summary>
/// CPU time used by a process and all its descendants, read from Linux's /proc (a server's work is often done by
/// children: RabbitMQ's Erlang VM under its start script, PostgreSQL's backends under the postmaster). CPU time, unlike
/// a rate, says what a step costs even when other work shares the machine.
/// </summary>
public static class ProcessTreeCpu
{
    private static readonly double TicksPerSecond = 100; // USER_HZ, 100 on every Linux this runs on

    public static TimeSpan Of(int rootPid)
    {
        var stats = new Dictionary<int, (int Parent, double Seconds)>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                // Fields after the command name (which is in parentheses and may hold spaces): state ppid ... utime stime at 14 and 15.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var seconds = (double.Parse(fields[11], CultureInfo.InvariantCulture) + double.Parse(fields[12], CultureInfo.InvariantCulture)) / TicksPerSecond;
                stats[pid] = (int.Parse(fields[1], CultureInfo.InvariantCulture), seconds);
            }
            catch (IOException)
            {
                // The process ended while being read.
            }
        }

        var total = 0.0;
        foreach (var (pid, (_, seconds)) in stats)
        {
            for (var ancestor = pid; stats.TryGetValue(ancestor, out var entry); ancestor = entry.Parent)
            {
                if (ancestor == rootPid)
                {
                    total += seconds;
                    break;
                }
            }
        }

        return TimeSpan.FromSeconds(total);
    }
}
