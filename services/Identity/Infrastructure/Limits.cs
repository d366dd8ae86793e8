namespace SentryFlow.Identity.Infrastructure;

/// <summary>Length limits shared by the schema and the request validation, so what passes validation fits.</summary>
public static class Limits
{
    public const int Name = 100;
    public const int DisplayName = 100;
    public const int Email = 254;
    public const int Password = 128;
}
