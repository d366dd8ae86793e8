using System.Text.Json.Serialization;

namespace SentryFlow.Samples.TrafficGenerator.Bootstrap;

// The parts of the services' answers the bootstrap reads.

public sealed record TokenAnswer([property: JsonPropertyName("access_token")] string AccessToken);

public sealed record NamedResource(Guid Id, string Name);

public sealed record KeyAnswer(Guid Id, string Name, string? OwnerId, string Start, IReadOnlyList<string> Permissions, string? Secret);

public sealed record KeyPageAnswer(IReadOnlyList<KeyAnswer> Keys, Guid? Next);

public sealed record ClientAnswer(string ClientId, string Name, string? ClientSecret);
