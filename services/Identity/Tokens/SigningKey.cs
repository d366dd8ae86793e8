namespace SentryFlow.Identity.Tokens;

/// <summary>
/// A private key of the token server, kept in the database so every instance signs with the same key and a
/// restart signs no one out. <see cref="Use"/> is <c>sig</c> (access tokens, JWKS) or <c>enc</c> (refresh tokens).
/// </summary>
public sealed class SigningKey
{
    public required string Use { get; init; }

    /// <summary>The RSA private key, PKCS#8 PEM.</summary>
    public required string PrivateKeyPem { get; init; }

    public DateTimeOffset CreatedAt { get; init; } = DateTimeOffset.UtcNow;
}
