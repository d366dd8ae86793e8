namespace SentryFlow.Alerting.Silences;

/// <summary>A label equal (or, with <see cref="IsNegative"/>, not equal) to a value, as Alertmanager's <c>=</c> and <c>!=</c>.</summary>
public sealed class LabelMatcher
{
    public string Name { get; set; } = "";

    public string Value { get; set; } = "";

    public bool IsNegative { get; set; }

    public bool Matches(IReadOnlyDictionary<string, string> labels) =>
        (labels.TryGetValue(Name, out var value) ? value : "") == Value != IsNegative;
}
