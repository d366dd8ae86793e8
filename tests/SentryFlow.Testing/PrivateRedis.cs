using System.Security.Cryptography;
using SentryFlow.Hosting.LocalServers;

namespace SentryFlow.Testing;

/// <summary>
/// A Redis of one test's own, from the same recipe as the run's shared one, for faults that a proxy cannot make:
/// <see cref="Pause"/> freezes the server (SIGSTOP) with its connections open, so commands sent meanwhile wait in its
/// socket buffers and run when it resumes, as a frozen Redis does. Pausing the shared server would stall every test
/// process beside this one.
/// </summary>
public sealed class PrivateRedis : IAsyncDisposable
{
    private const int SIGCONT = 18;
    private const int SIGSTOP = 19;
    private readonly string _folder;
    private readonly int _pid;

    private PrivateRedis(string folder, int pid, int port, string password)
    {
        _folder = folder;
        _pid = pid;
        ConnectionString = RedisServer.ConnectionString(port, password);
    }

    /// <summary>A StackExchange.Redis configuration string for it (127.0.0.1, its port and password).</summary>
    public string ConnectionString { get; }

    public static async Task<PrivateRedis> StartAsync()
    {
        await TestServers.GetAsync(); // the run's servers: Redis's package is installed by then
        var folder = Path.Combine(TestServers.Root, "private", $"redis-{Guid.NewGuid():n}");
        var password = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        var port = FreePort.Next();
        var configuration = await RedisServer.WriteConfigurationAsync(folder, password, persistent: false, CancellationToken.None);
        var pid = ServerProcess.Start(RedisServer.Command(configuration, port), Path.Combine(folder, "console.log"), folder);
        var redis = new PrivateRedis(folder, pid, port, password);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await RedisServer.CheckHealthAsync(port, password, CancellationToken.None) is { } problem)
        {
            if (DateTime.UtcNow > deadline)
            {
                await redis.DisposeAsync();
                throw new TimeoutException($"A private Redis did not come up: {problem}");
            }

            await Task.Delay(50);
        }

        return redis;
    }

    /// <summary>Freezes the server; call <see cref="Resume"/> in a finally (disposing resumes it too).</summary>
    public void Pause() => ProcessSignals.Send(_pid, SIGSTOP);

    public void Resume() => ProcessSignals.Send(_pid, SIGCONT);

    public async ValueTask DisposeAsync()
    {
        Resume(); // a stopped process does not act on SIGTERM until it is continued
        await ProcessSignals.StopAsync(_pid, ProcessSignals.SIGTERM, TimeSpan.FromSeconds(10));
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // left for the run's state folder to be cleaned with the rest
        }
    }
}
