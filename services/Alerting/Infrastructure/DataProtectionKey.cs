namespace SentryFlow.Alerting.Infrastructure;

/// <summary>One key of ASP.NET Core Data Protection's key ring (its XML), kept in <c>alertingdb</c> so every instance shares it.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; init; }

    public string? FriendlyName { get; init; }

    public string Xml { get; init; } = "";
}
