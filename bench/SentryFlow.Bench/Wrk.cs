using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace SentryFlow.Bench;

/// <summary>
/// Drives an HTTP endpoint with wrk (Debian's package; C, so the load generator costs far less CPU than a .NET
/// client on the same two cores). A script's <c>done</c> callback prints one machine-readable line that
/// <see cref="RunAsync"/> parses; the CPU time wrk used is measured too, so a figure can say how the cores were shared.
/// </summary>
public static class Wrk
{
    /// <summary>
    /// The Lua that ends every script: one <c>WRK</c> line with requests, duration (µs), latency p50, p99 and max (µs),
    /// non-2xx/3xx answers and socket errors.
    /// </summary>
    public const string DoneCallback = """

        done = function(summary, latency, requests)
          local e = summary.errors
          io.write(string.format("WRK %d %d %d %d %d %d %d\n", summary.requests, summary.duration,
            latency:percentile(50), latency:percentile(99), latency.max, e.status, e.connect + e.read + e.write + e.timeout))
        end
        """;

    public static async Task<Result> RunAsync(string script, Uri baseAddress, int threads, int connections, TimeSpan duration)
    {
        var arguments = $"-t{threads} -c{connections} -d{(int)duration.TotalSeconds}s -s {script} {baseAddress}";
        var cpuBefore = ChildrenCpuSeconds();
        using var process = Process.Start(new ProcessStartInfo("wrk", arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var cpu = ChildrenCpuSeconds() - cpuBefore;
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("WRK ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"wrk {arguments} printed no result:\n{output}\n{errors}");
        var f = line.Split(' ').Skip(1).Select(v => long.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return new Result(f[0], f[1] / 1e6, f[2] / 1e3, f[3] / 1e3, f[4] / 1e3, f[5], f[6], cpu);
    }

    /// <summary>CPU time of this process's children that have exited (getrusage(RUSAGE_CHILDREN)): here, wrk runs.</summary>
    private static double ChildrenCpuSeconds()
    {
        const int RusageChildren = -1;
        var usage = new long[18];
        return GetRusage(RusageChildren, usage) == 0 ? usage[0] + usage[1] / 1e6 + usage[2] + usage[3] / 1e6 : double.NaN;
    }

    [DllImport("libc", EntryPoint = "getrusage")]
    private static extern int GetRusage(int who, long[] usage);

    /// <param name="Requests">Requests completed.</param>
    /// <param name="Seconds">How long they took.</param>
    /// <param name="P50Ms">Median latency.</param>
    /// <param name="P99Ms">99th percentile latency.</param>
    /// <param name="MaxMs">Slowest request.</param>
    /// <param name="BadStatus">Answers that were not 2xx or 3xx.</param>
    /// <param name="SocketErrors">Connect, read, write errors and timeouts.</param>
    /// <param name="CpuSeconds">CPU time wrk itself used.</param>
    public sealed record Result(long Requests, double Seconds, double P50Ms, double P99Ms, double MaxMs, long BadStatus, long SocketErrors, double CpuSeconds)
    {
        public double PerSecond => Requests / Seconds;

        /// <summary>Share of the machine's cores wrk used while it ran.</summary>
        public double CpuShare => CpuSeconds / Seconds / Environment.ProcessorCount;
    }
}
