namespace SentryFlow.Alerting.Tests;

/// <summary>The test classes that share one <see cref="AlertingHarness"/> (two services on a 2-core machine are enough).</summary>
[CollectionDefinition(Name)]
public sealed class AlertingCollection : ICollectionFixture<AlertingHarness>
{
    public const string Name = "alerting";
}
