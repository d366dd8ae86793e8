namespace SentryFlow.Analytics.Live;

/// <summary>How many records a tail client was not sent since the last frame (<c>event: dropped</c>).</summary>
public sealed record TailDropped(long Dropped);
