using System.Runtime.InteropServices;

namespace SentryFlow.Hosting.LocalServers;

/// <summary>POSIX signals and process checks, for processes we may not hold a <see cref="System.Diagnostics.Process"/> for.</summary>
public static partial class ProcessSignals
{
    public const int SIGINT = 2;
    public const int SIGKILL = 9;
    public const int SIGTERM = 15;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "geteuid")]
    private static partial uint GetEffectiveUserId();

    public static bool IsRoot => GetEffectiveUserId() == 0;

    public static void Send(int pid, int signal) => _ = Kill(pid, signal);

    /// <summary>True while the process exists and is not a zombie.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The state letter follows the command name in parentheses, which may itself hold spaces.
            var state = stat[(stat.LastIndexOf(')') + 2)..][0];
            return state is not ('Z' or 'X');
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <summary>Asks the process to stop with <paramref name="signal"/>, and kills it when it overstays <paramref name="timeout"/>.</summary>
    public static async Task StopAsync(int pid, int signal, TimeSpan timeout)
    {
        if (!IsAlive(pid))
        {
            return;
        }

        Send(pid, signal);
        var deadline = DateTime.UtcNow + timeout;
        while (IsAlive(pid) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        if (IsAlive(pid))
        {
            Send(pid, SIGKILL);
            while (IsAlive(pid))
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>Whether the process's environment holds <paramref name="entry"/>: how we know a PID is still ours.</summary>
    public static bool HasEnvironmentEntry(int pid, string entry) =>
        ReadProcFile(pid, "environ")?.Split('\0').Contains(entry) == true;

    private static string? ReadProcFile(int pid, string name)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/{name}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
