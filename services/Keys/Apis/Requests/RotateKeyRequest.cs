using System.ComponentModel.DataAnnotations;

namespace SentryFlow.Keys.Apis.Requests;

/// <param name="GracePeriodSeconds">How long the current secret keeps working (0: it stops at once; at most 30 days).</param>
public sealed record RotateKeyRequest([property: Range(0, 2_592_000)] int GracePeriodSeconds = 0);
