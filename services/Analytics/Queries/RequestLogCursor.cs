using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace SentryFlow.Analytics.Queries;

/// <summary>Where a page of the request log ended (newest first): the last record's timestamp and id, opaque to callers.</summary>
public sealed record RequestLogCursor(DateTime Timestamp, Guid Id)
{
    public string Encode() => Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{Timestamp.Ticks.ToString(CultureInfo.InvariantCulture)}.{Id:n}"));

    public static bool TryDecode(string value, out RequestLogCursor? cursor)
    {
        cursor = null;
        try
        {
            var parts = Encoding.UTF8.GetString(Base64Url.DecodeFromChars(value)).Split('.');
            if (parts.Length == 2
                && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                && ticks is >= 0 and <= 3155378975999999999
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
