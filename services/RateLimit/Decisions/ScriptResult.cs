namespace SentryFlow.RateLimit.Decisions;

/// <summary>A script's answer: whether every limit admitted the request (and was charged), and each limit's state.</summary>
public readonly record struct ScriptResult(bool Allowed, LimitOutcome[] Limits);
