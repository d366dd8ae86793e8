namespace SentryFlow.Alerting.Apis.Requests;

/// <summary><c>name = value</c>, or <c>name != value</c> with <see cref="IsNegative"/>.</summary>
public sealed record MatcherRequest(string? Name, string? Value, bool IsNegative = false);
