namespace SentryFlow.Samples.Orders;

/// <summary>
/// The file the demo's traffic generator writes once it has issued this API's ingest key and machine client
/// (<c>Orders:SentryFlowSettingsFile</c>): the API waits for it before it starts, then reads its SentryFlow section from
/// it. Without the setting the API runs on its own (behind the gateway, or in tests).
/// </summary>
public static class SentryFlowSettingsFile
{
    public const string SettingKey = "Orders:SentryFlowSettingsFile";

    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>Waits until the file is there, saying so once a while; then adds it to the configuration.</summary>
    public static bool TryAdd(WebApplicationBuilder builder)
    {
        if (builder.Configuration[SettingKey] is not { Length: > 0 } path)
        {
            return false;
        }

        var waited = TimeSpan.Zero;
        while (!File.Exists(path))
        {
            if (waited.Ticks % TimeSpan.FromSeconds(15).Ticks == 0)
            {
                // Before the host is built there is no logger: the console is what the dashboard shows.
                Console.WriteLine($"Waiting for the traffic generator to issue this API's ingest key ({path}); waited {waited.TotalSeconds:0} s.");
            }

            Thread.Sleep(Poll);
            waited += Poll;
        }

        builder.Configuration.AddJsonFile(path, optional: false, reloadOnChange: false);
        return true;
    }
}
