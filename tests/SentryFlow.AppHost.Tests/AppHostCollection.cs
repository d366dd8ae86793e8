namespace SentryFlow.AppHost.Tests;

/// <summary>Tests that start a whole AppHost run one at a time: two at once would share two cores among some thirty processes.</summary>
[CollectionDefinition(Name)]
public sealed class AppHostCollection
{
    public const string Name = "AppHost";
}
