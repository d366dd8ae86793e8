using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace SentryFlow.Analytics.Queries;

/// <summary>Where a page of the request log ended (newest first): the last record's timestamp and id, opaque to callers.</summary>
public sealed record RequestLogCursor(DateTime Timestamp, Guid Id)
{
    /// <summary>Longer than any cursor <see cref="Encode"/> makes (19 digits, a dot and 32 hex digits, in base64url).</summary>
    public const int MaxLength = 128;

    // A cursor is a stored record's time: none is before 2000 or after 3000, and the day-by-day reading of the log
    // would overflow at the ends of DateTime.
    private static readonly long EarliestTicks = new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;
    private static readonly long LatestTicks = new DateTime(3000, 1, 1, 0, 0, 0, DateTimeKind.Utc).Ticks;

    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Timestamp.Ticks.ToString(CultureInfo.InvariantCulture)}.{Id:n}"));

    public static bool TryDecode(string value, out RequestLogCursor? cursor)
    {
        cursor = null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value)).Split('.');
            if (parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks >= EarliestTicks && ticks < LatestTicks
                && Guid.TryParseExact(parts[1], "n", out var id))
            {
                cursor = new RequestLogCursor(new DateTime(ticks, DateTimeKind.Utc), id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}
