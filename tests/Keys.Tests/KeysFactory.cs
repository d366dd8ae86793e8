using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Testing;

namespace SentryFlow.Keys.Tests;

/// <summary>The keys service against the real servers, with a clock the tests can move forward (for refills).</summary>
public sealed class KeysFactory : ServiceFactory<Program>
{
    public KeysFactory()
    {
        ConfigureTestServices = services => services.AddSingleton<TimeProvider>(Clock);
        // Usage counts stay exact on a saturated 2-core test host; production's 20 ms is for the Redis-outage tests.
        Settings["Keys:Redis:Timeout"] = "00:00:02";
    }

    public ShiftedClock Clock { get; } = new();

    public sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
