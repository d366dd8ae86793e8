namespace SentryFlow.Alerting.Silences;

/// <summary>Mutes the project's alerts whose labels match every matcher, from <see cref="StartsAt"/> to <see cref="EndsAt"/>.</summary>
public sealed class Silence
{
    public Guid Id { get; init; } = Guid.CreateVersion7();

    public Guid ProjectId { get; init; }

    public List<LabelMatcher> Matchers { get; set; } = [];

    public DateTimeOffset StartsAt { get; set; }

    public DateTimeOffset EndsAt { get; set; }

    public string CreatedBy { get; init; } = "";

    public string? Comment { get; set; }

    public DateTimeOffset CreatedAt { get; init; }

    public bool Mutes(IReadOnlyDictionary<string, string> labels, DateTimeOffset at) =>
        at >= StartsAt && at < EndsAt && Matchers.All(m => m.Matches(labels));
}
