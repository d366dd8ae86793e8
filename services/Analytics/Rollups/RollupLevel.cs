namespace SentryFlow.Analytics.Rollups;

/// <summary>The roll-up tables from finest to coarsest: <c>"MinuteRollups"</c>, <c>"HourRollups"</c>, <c>"DayRollups"</c>.</summary>
public enum RollupLevel
{
    Minute,
    Hour,
    Day,
}
