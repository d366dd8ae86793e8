using System.ComponentModel.DataAnnotations;

namespace SentryFlow.Keys.Apis.Requests;

/// <summary>A named fixed-window limit: at most <see cref="Limit"/> uses per <see cref="DurationMs"/>.</summary>
public sealed record RateLimitRequest(
    [property: Required, RegularExpression("^[A-Za-z0-9_.-]{1,32}$")] string Name,
    [property: Range(1, int.MaxValue)] int Limit,
    [property: Range(1000, 2_592_000_000)] long DurationMs,
    bool SharedByOwner = false);
