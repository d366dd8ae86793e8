namespace SentryFlow.RateLimit.Apis.Requests;

/// <summary>Many decisions for one project, as a gateway sends them; answered in the same order.</summary>
public sealed record CheckBatchRequest(
    Guid? ProjectId,
    IReadOnlyList<CheckItem>? Items);
