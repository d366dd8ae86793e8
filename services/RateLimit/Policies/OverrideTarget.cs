namespace SentryFlow.RateLimit.Policies;

/// <summary>What an override's pattern is matched against.</summary>
public enum OverrideTarget
{
    /// <summary>The request's API key id.</summary>
    KeyId = 0,

    /// <summary>The request's owner, e.g. <c>*@acme.com</c>.</summary>
    Owner = 1,

    /// <summary>The partition identifier the policy computed (or the one the caller gave).</summary>
    Identifier = 2,
}
