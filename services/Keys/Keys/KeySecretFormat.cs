using System.IO.Hashing;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace SentryFlow.Keys.Keys;

/// <summary>
/// The shape of a key secret, recognisable by secret scanners without a database (as GitHub's tokens are):
/// <c>{prefix}_{environment}_{24 random base62 characters}{6-character CRC32 checksum}</c>, e.g.
/// <c>sf_live_4hQk…</c>. 24 base62 characters are 142 random bits. The checksum lets verification reject a
/// mistyped or made-up key before any lookup.
/// </summary>
public static partial class KeySecretFormat
{
    public const string DefaultPrefix = "sf";
    public const int RandomLength = 24;
    public const int ChecksumLength = 6;
    private const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    [GeneratedRegex("^[a-z][a-z0-9]{1,15}$")]
    public static partial Regex PrefixPattern();

    [GeneratedRegex("^(live|test)$")]
    public static partial Regex EnvironmentPattern();

    public static (string Secret, byte[] Hash, string Start) Generate(string prefix, string environment)
    {
        var head = $"{prefix}_{environment}_";
        var random = RandomNumberGenerator.GetString(Alphabet, RandomLength);
        var secret = head + random + Checksum(head + random);
        return (secret, Hash(secret), head + random[..4]);
    }

    /// <summary>Whether <paramref name="secret"/> has the shape and a correct checksum (says nothing of whether it exists).</summary>
    public static bool IsWellFormed(ReadOnlySpan<char> secret)
    {
        if (secret.Length is < RandomLength + ChecksumLength + 6 or > 64)
        {
            return false;
        }

        var body = secret[^(RandomLength + ChecksumLength)..];
        foreach (var c in body)
        {
            if (!char.IsAsciiLetterOrDigit(c))
            {
                return false;
            }
        }

        var signed = secret[..^ChecksumLength];
        return secret[^ChecksumLength..].SequenceEqual(Checksum(signed));
    }

    public static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private static string Checksum(ReadOnlySpan<char> signed)
    {
        Span<byte> utf8 = stackalloc byte[signed.Length * 3];
        var length = Encoding.UTF8.GetBytes(signed, utf8);
        var value = Crc32.HashToUInt32(utf8[..length]);
        Span<char> digits = stackalloc char[ChecksumLength];
        for (var i = ChecksumLength - 1; i >= 0; i--)
        {
            digits[i] = Alphabet[(int)(value % 62)];
            value /= 62;
        }

        return new string(digits);
    }
}
