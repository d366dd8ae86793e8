namespace SentryFlow.Analytics.Rollups;

/// <summary>What a minute roll-up row is per.</summary>
public readonly record struct RollupKey(DateTimeOffset Minute, string Route, string Method, string Consumer, short StatusClass);
