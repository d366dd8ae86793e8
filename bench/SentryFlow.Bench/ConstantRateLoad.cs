using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace SentryFlow.Bench;

/// <summary>
/// Latency at a fixed offered rate, measured the way wrk2 does: every request has a time it is due (the rate spread
/// evenly over the connections), and its latency runs from that time, not from when it was sent, so a stall that
/// holds requests back counts against every request it delays (no coordinated omission). wrk has no such mode; a
/// closed loop of delayed connections sends in bursts and leaves out the requests a stall held back.
/// </summary>
/// <remarks>
/// The driver runs in a process of its own (this bench run again with <see cref="Command"/>), so that it shares
/// neither the thread pool nor the garbage collector of the service in the bench's process; it is one pacing thread
/// that sends what is due every 200 µs, and one receive loop per connection, run on the socket engine's threads
/// (inline completions, as wrk runs on its event loop), so an answer costs no hop to the thread pool.
/// </remarks>
public static class ConstantRateLoad
{
    public const string Command = "constant-rate";
    private const string TokenVariable = "SENTRYFLOW_BENCH_TOKEN";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Offers <paramref name="perSecond"/> POSTs of <paramref name="bodies"/> (in turn) to <paramref name="path"/> for
    /// <paramref name="duration"/> after a second's warm-up, and returns what the driver measured.
    /// </summary>
    public static async Task<Result> RunAsync(
        Uri baseAddress, string path, string token, IReadOnlyList<string> bodies, double perSecond, int connections, TimeSpan duration)
    {
        var bodyFile = Path.GetTempFileName();
        await File.WriteAllLinesAsync(bodyFile, bodies);
        try
        {
            var start = BenchProcess.StartInfo(Command, baseAddress.Host, baseAddress.Port.ToString(CultureInfo.InvariantCulture), path, bodyFile,
                perSecond.ToString(CultureInfo.InvariantCulture), connections.ToString(CultureInfo.InvariantCulture),
                duration.TotalSeconds.ToString(CultureInfo.InvariantCulture));
            start.RedirectStandardOutput = true;
            start.Environment[TokenVariable] = token; // not on the command line, where ps shows it
            start.Environment["DOTNET_gcServer"] = "0"; // one small heap: the driver must not take cores from the service
            // Its receive loops run on the socket engine's thread, as wrk's do on its event loop: no hop to the thread pool per answer.
            start.Environment["DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS"] = "1";
            using var driver = Process.Start(start)!;
            var output = await driver.StandardOutput.ReadToEndAsync();
            await driver.WaitForExitAsync();
            var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("RATE ", StringComparison.Ordinal))
                ?? throw new InvalidOperationException($"the constant-rate driver printed no result (exit {driver.ExitCode}):\n{output}");
            var f = line.Split(' ').Skip(1).Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
            return new Result((long)f[0], f[1], f[2], f[3], f[4], f[5], f[6], (long)f[7], (long)f[8], f[9]);
        }
        finally
        {
            File.Delete(bodyFile);
        }
    }

    /// <summary>The driver's process: <c>constant-rate host port path body-file rate connections seconds</c>.</summary>
    public static async Task<int> DriveAsync(string[] args)
    {
        var (host, port, path) = (args[0], int.Parse(args[1], CultureInfo.InvariantCulture), args[2]);
        var token = Environment.GetEnvironmentVariable(TokenVariable) ?? throw new InvalidOperationException($"{TokenVariable} is not set");
        var requests = (await File.ReadAllLinesAsync(args[3])).Where(b => b.Length > 0).Select(body => Encoding.ASCII.GetBytes(
            $"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\nAuthorization: Bearer {token}\r\n" +
            $"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}")).ToArray();
        var perSecond = double.Parse(args[4], CultureInfo.InvariantCulture);
        var connectionCount = int.Parse(args[5], CultureInfo.InvariantCulture);
        var duration = TimeSpan.FromSeconds(double.Parse(args[6], CultureInfo.InvariantCulture));

        var run = new Run(perSecond, connectionCount, WarmUp, duration);
        var connections = new List<Connection>();
        for (var i = 0; i < connectionCount; i++)
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(host, port);
            connections.Add(new Connection(i, socket, requests, run));
        }

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        run.Begin();
        var receiving = connections.Select(c => Task.Run(c.ReceiveAsync)).ToArray();
        // Awaited, never joined: with inline completions this method goes on on a socket engine's thread (where its
        // connects completed), and blocking it would stall every connection that engine serves.
        await Task.Factory.StartNew(() => Pace(connections, run), TaskCreationOptions.LongRunning);
        var unanswered = connections.Count(c => !c.Finished.IsCompleted);
        foreach (var connection in connections)
        {
            connection.Socket.Dispose();
        }

        await Task.WhenAll(receiving);
        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        Console.WriteLine(run.Summarize(unanswered, cpu));
        return 0;
    }

    /// <summary>Sends what is due until every connection is done; what is still in flight a second after the end is given up.</summary>
    private static void Pace(List<Connection> connections, Run run)
    {
        var giveUp = run.End + Stopwatch.Frequency;
        while (Stopwatch.GetTimestamp() < giveUp && connections.Any(c => !c.Finished.IsCompleted))
        {
            var now = Stopwatch.GetTimestamp();
            foreach (var connection in connections)
            {
                connection.SendIfDue(now);
            }

            _ = USleep(200);
        }
    }

    [DllImport("libc", EntryPoint = "usleep")]
    private static extern int USleep(uint microseconds);

    /// <param name="Requests">Requests answered that were due after the warm-up.</param>
    /// <param name="Seconds">The measured part of the run.</param>
    /// <param name="P50Ms">Median latency from the time each request was due.</param>
    /// <param name="P99Ms">99th percentile from the time due.</param>
    /// <param name="P999Ms">99.9th percentile from the time due.</param>
    /// <param name="MaxMs">Slowest, from the time due.</param>
    /// <param name="SentP99Ms">99th percentile from the time each was sent (what wrk would report).</param>
    /// <param name="BadStatus">Answers that were not 2xx.</param>
    /// <param name="Errors">Connections closed, and requests unanswered a second after the run.</param>
    /// <param name="CpuSeconds">CPU the driver used while it ran.</param>
    public sealed record Result(
        long Requests, double Seconds, double P50Ms, double P99Ms, double P999Ms, double MaxMs, double SentP99Ms, long BadStatus, long Errors, double CpuSeconds)
    {
        public double PerSecond => Requests / Seconds;
    }

    /// <summary>The schedule and the latencies recorded against it.</summary>
    private sealed class Run(double perSecond, int connections, TimeSpan warmUp, TimeSpan duration)
    {
        private readonly double interval = Stopwatch.Frequency / perSecond;
        private readonly long[] fromDue = new long[(int)(perSecond * duration.TotalSeconds * 1.1) + 1024];
        private readonly long[] fromSent = new long[(int)(perSecond * duration.TotalSeconds * 1.1) + 1024];
        private int recorded;
        private long badStatus;
        private long closed;
        private long start;

        public long End { get; private set; }

        public long MeasuredFrom { get; private set; }

        public void Begin()
        {
            start = Stopwatch.GetTimestamp();
            MeasuredFrom = start + (long)(warmUp.TotalSeconds * Stopwatch.Frequency);
            End = MeasuredFrom + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        }

        /// <summary>When the <paramref name="sequence"/>th request of connection <paramref name="index"/> is due.</summary>
        public long Due(int index, long sequence) => start + (long)((sequence * connections + index) * interval);

        public void Record(long due, long sent, long answered, int status)
        {
            if (due < MeasuredFrom)
            {
                return;
            }

            var slot = Interlocked.Increment(ref recorded) - 1;
            if (slot < fromDue.Length)
            {
                fromDue[slot] = answered - due;
                fromSent[slot] = answered - sent;
            }

            if (status is < 200 or >= 300)
            {
                Interlocked.Increment(ref badStatus);
            }
        }

        public void Closed() => Interlocked.Increment(ref closed);

        public string Summarize(int unanswered, double cpuSeconds)
        {
            var count = Math.Min(recorded, fromDue.Length);
            var due = fromDue[..count];
            var sent = fromSent[..count];
            Array.Sort(due);
            Array.Sort(sent);
            string Ms(long[] sorted, double quantile) => count == 0 ? "NaN"
                : (sorted[Math.Min(count - 1, (int)Math.Ceiling(quantile * count) - 1)] * 1000.0 / Stopwatch.Frequency).ToString("F4", CultureInfo.InvariantCulture);
            return string.Join(' ', "RATE", count, duration.TotalSeconds.ToString(CultureInfo.InvariantCulture), Ms(due, 0.5), Ms(due, 0.99), Ms(due, 0.999), Ms(due, 1),
                Ms(sent, 0.99), badStatus, closed + unanswered, cpuSeconds.ToString("F3", CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// One keep-alive connection with at most one request in flight. The pacer sends when a request is due and the
    /// connection is idle; the receive loop sends the next one itself when it is already due as an answer arrives.
    /// </summary>
    private sealed class Connection(int index, Socket socket, byte[][] requests, Run run)
    {
        private const int Idle = 0, Busy = 1, Done = 2;
        private readonly TaskCompletionSource finished = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int state;
        private long sequence;
        private long due = long.MinValue;
        private long sent;

        public Socket Socket => socket;

        public Task Finished => finished.Task;

        public void SendIfDue(long now)
        {
            if (due == long.MinValue)
            {
                due = run.Due(index, 0);
            }

            if (Volatile.Read(ref state) != Idle)
            {
                return;
            }

            if (due >= run.End)
            {
                state = Done;
                finished.TrySetResult();
            }
            else if (due <= now)
            {
                state = Busy;
                Send(now);
            }
        }

        private void Send(long now)
        {
            sent = now;
            // A request this small goes at once; a send that does not is left to finish, and counted if it fails.
            var sending = socket.SendAsync(requests[(int)((sequence * 7919 + index) % requests.Length)].AsMemory(), SocketFlags.None);
            if (!sending.IsCompletedSuccessfully)
            {
                _ = sending.AsTask().ContinueWith(send => run.Closed(), TaskContinuationOptions.NotOnRanToCompletion);
            }
        }

        public async Task ReceiveAsync()
        {
            var buffer = new byte[64 * 1024];
            var filled = 0;
            try
            {
                while (true)
                {
                    var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None);
                    if (read == 0)
                    {
                        break;
                    }

                    filled += read;
                    if (HttpResponse.TryRead(buffer.AsSpan(0, filled), out var length, out var status))
                    {
                        buffer.AsSpan(length, filled - length).CopyTo(buffer);
                        filled -= length;
                        Answered(status);
                    }
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Closed by the end of the run, or by the server.
            }

            if (Volatile.Read(ref state) != Done)
            {
                run.Closed();
            }
        }

        private void Answered(int status)
        {
            var now = Stopwatch.GetTimestamp();
            run.Record(due, sent, now, status);
            sequence++;
            due = run.Due(index, sequence);
            if (due >= run.End)
            {
                Volatile.Write(ref state, Done);
                finished.TrySetResult();
            }
            else if (due <= now)
            {
                Send(now); // behind: the next is due already, and its latency counts from when it was due
            }
            else
            {
                Volatile.Write(ref state, Idle);
            }
        }
    }
}
