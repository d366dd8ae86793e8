using Microsoft.Extensions.DependencyInjection;
using SentryFlow.Testing;

namespace SentryFlow.Keys.Tests;

/// <summary>The keys service against the real servers, with a clock the tests can move forward (for refills).</summary>
public sealed class KeysFactory : ServiceFactory<Program>
{
    public KeysFactory() => ConfigureTestServices = services => services.AddSingleton<TimeProvider>(Clock);

    public ShiftedClock Clock { get; } = new();

    public sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Offset { get; set; }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + Offset;
    }
}
