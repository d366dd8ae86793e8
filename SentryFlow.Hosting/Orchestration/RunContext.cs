namespace SentryFlow.Hosting.Orchestration;

/// <summary>What a resource needs to know about the run it is part of.</summary>
public sealed class RunContext(StateDirectory state, ConsoleSink console, string environmentName)
{
    public StateDirectory State { get; } = state;

    public ConsoleSink Console { get; } = console;

    /// <summary>Passed to projects as <c>ASPNETCORE_ENVIRONMENT</c>.</summary>
    public string EnvironmentName { get; } = environmentName;

    /// <summary>Passed to projects as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> when a collector is configured.</summary>
    public string? OtlpEndpoint { get; init; }

    /// <summary>Folder the projects' build output is found under (<c>bin/{Configuration}/net10.0</c>).</summary>
    public string BuildConfiguration { get; init; } = "Debug";
}
