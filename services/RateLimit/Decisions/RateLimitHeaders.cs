using System.Globalization;
using System.Text;

namespace SentryFlow.RateLimit.Decisions;

/// <summary>
/// Renders the fields of draft-ietf-httpapi-ratelimit-headers-11 from decisions, so the gateway, the SDKs and this
/// service send the same thing: <c>RateLimit-Policy: "burst";q=100;w=60</c> (each quota policy: quota and window,
/// in seconds), <c>RateLimit: "burst";r=50;t=30</c> (remaining and seconds until reset), and on a rejection
/// <c>Retry-After</c> in whole seconds, rounded up so it is never earlier than the moment the request would pass.
/// </summary>
public static class RateLimitHeaders
{
    public const string RetryAfterHeader = "Retry-After";

    // Printable ASCII but the two an sf-string escapes: such a value is quoted as it is.
    private static readonly System.Buffers.SearchValues<char> PlainCharacters = System.Buffers.SearchValues.Create(
        [.. Enumerable.Range(' ', '~' - ' ' + 1).Select(c => (char)c).Where(c => c is not ('"' or '\\'))]);

    /// <summary>The field values for <paramref name="limits"/>; <c>RetryAfter</c> only when <paramref name="allowed"/> is false.</summary>
    public static (string Policy, string RateLimit, string? RetryAfter) Render(IReadOnlyList<LimitOutcome> limits, bool allowed)
    {
        var policy = new StringBuilder();
        var rateLimit = new StringBuilder();
        long retryAfter = 0;
        foreach (var limit in limits)
        {
            var separator = policy.Length > 0 ? ", " : "";
            var name = QuotedString(limit.Name);
            policy.Append(CultureInfo.InvariantCulture, $"{separator}{name};q={limit.Limit};w={limit.WindowSeconds}");
            rateLimit.Append(CultureInfo.InvariantCulture, $"{separator}{name};r={Math.Max(0, limit.Remaining)};t={Seconds(limit.ResetMicros)}");
            if (!limit.Admits)
            {
                // -1: the cost is above the limit; the best a client can do is wait for the full reset.
                retryAfter = Math.Max(retryAfter, Seconds(limit.RetryAfterMicros < 0 ? limit.ResetMicros : limit.RetryAfterMicros));
            }
        }

        return (policy.ToString(), rateLimit.ToString(), allowed ? null : Math.Max(1, retryAfter).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Whole seconds, rounded up.</summary>
    public static long Seconds(long micros) => micros <= 0 ? 0 : (micros + 999_999) / 1_000_000;

    /// <summary>An RFC 8941 sf-string: printable ASCII in quotes, with <c>"</c> and <c>\</c> escaped.</summary>
    public static string QuotedString(string value)
    {
        if (!value.AsSpan().ContainsAnyExcept(PlainCharacters))
        {
            return string.Concat("\"", value, "\"");
        }

        var builder = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\')
            {
                builder.Append('\\').Append(c);
            }
            else if (c is >= ' ' and <= '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('?');
            }
        }

        return builder.Append('"').ToString();
    }
}
