namespace SentryFlow.AppHost.Tests;

/// <summary>The token request a user's sign-in sends to identity (the password grant, as the console and CLI do).</summary>
internal static class PasswordGrant
{
    public const string TokenPath = "/connect/token";

    public static FormUrlEncodedContent Request(string email, string password) => new(new Dictionary<string, string>
    {
        ["grant_type"] = "password",
        ["username"] = email,
        ["password"] = password,
        ["scope"] = "offline_access api",
    });
}
