// Tests that start a whole AppHost run one at a time: two at once would share two cores among some thirty processes.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace SentryFlow.AppHost.Tests;

/// <summary>The tests that share one AppHost started through Aspire.Hosting.Testing (<see cref="AppHostFixture"/>).</summary>
[CollectionDefinition(Name)]
public sealed class AppHostCollection : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}

/// <summary>The tests that run the AppHost as a process of their own, as a user does.</summary>
[CollectionDefinition(Name)]
public sealed class AppHostProcessCollection
{
    public const string Name = "AppHost process";
}
