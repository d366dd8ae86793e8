using System.ComponentModel.DataAnnotations;
using SentryFlow.Keys.Keys;

namespace SentryFlow.Keys.Apis.Requests;

/// <summary>Resets the usage limit to <see cref="Amount"/> each day or month (UTC).</summary>
public sealed record RefillRequest(
    [property: Required, AllowedValues(RefillInterval.Daily, RefillInterval.Monthly)] RefillInterval? Interval,
    [property: Range(1, long.MaxValue)] long Amount);
