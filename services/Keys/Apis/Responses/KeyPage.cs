namespace SentryFlow.Keys.Apis.Responses;

/// <summary>A page of keys; pass <see cref="Next"/> as <c>after</c> for the next page (null on the last).</summary>
public sealed record KeyPage(IReadOnlyList<KeyResponse> Keys, Guid? Next);
