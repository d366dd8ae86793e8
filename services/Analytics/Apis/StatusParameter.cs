namespace SentryFlow.Analytics.Apis;

/// <summary>The request log's <c>status</c> parameter (also the tail's): an exact code (<c>404</c>) or a class (<c>4xx</c>).</summary>
public static class StatusParameter
{
    public const string Expected = "A status code (404) or class (4xx).";

    /// <summary>False when <paramref name="text"/> is neither; null text is no filter.</summary>
    public static bool TryParse(string? text, out int? status, out int? statusClass)
    {
        (status, statusClass) = (null, null);
        if (text is null)
        {
            return true;
        }

        if (text.Length == 3 && text[0] is >= '1' and <= '5' && text.EndsWith("xx", StringComparison.OrdinalIgnoreCase))
        {
            statusClass = text[0] - '0';
            return true;
        }

        if (int.TryParse(text, out var code) && code is >= 100 and <= 599)
        {
            status = code;
            return true;
        }

        return false;
    }
}
