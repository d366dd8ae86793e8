namespace SentryFlow.Hosting.ApplicationModel;

/// <summary>How to launch the process behind an executable resource.</summary>
public sealed record ProcessSpec(string FileName, IReadOnlyList<string> Arguments)
{
    public string? WorkingDirectory { get; init; }

    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
