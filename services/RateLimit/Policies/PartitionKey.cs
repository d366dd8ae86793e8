namespace SentryFlow.RateLimit.Policies;

/// <summary>What a policy counts separately: one counter per distinct value (or combination of values).</summary>
public enum PartitionKey
{
    /// <summary>The API key's id.</summary>
    KeyId = 0,

    /// <summary>The key's owner (a consumer, e.g. an e-mail address or a customer id).</summary>
    Owner = 1,

    /// <summary>The route: the policy's matching route pattern, or the request's route when it has no patterns.</summary>
    Route = 2,

    /// <summary>The client's IP address.</summary>
    Ip = 3,
}
