namespace SentryFlow.Hosting.LocalServers;

/// <summary>A Debian package, and a file whose presence shows it is installed.</summary>
public sealed record DebianPackage(string Name, string ProbePath);
