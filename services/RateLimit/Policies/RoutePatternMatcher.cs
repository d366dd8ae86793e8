namespace SentryFlow.RateLimit.Policies;

/// <summary>
/// A policy's route pattern: <c>/</c>-separated segments, each a literal (<c>orders</c>), a parameter
/// (<c>{id}</c>, one segment) or <c>*</c> (one segment), and optionally a last <c>**</c> (any rest, even none).
/// Literals compare case-insensitively; a query string is not part of a route.
/// </summary>
public sealed class RoutePatternMatcher
{
    public const int MaxLength = 256;

    private readonly string[] _segments; // null entries: "any one segment"
    private readonly bool _anyRest;

    private RoutePatternMatcher(string pattern, string?[] segments, bool anyRest)
    {
        Pattern = pattern;
        _segments = segments!;
        _anyRest = anyRest;
        // More literal segments first; "**" last.
        Specificity = segments.Count(s => s is not null) * 1000 + segments.Length * 10 + (anyRest ? 0 : 1);
    }

    public string Pattern { get; }

    /// <summary>Orders patterns from the most specific.</summary>
    public int Specificity { get; }

    /// <summary>Parses <paramref name="pattern"/>; <paramref name="error"/> says what is wrong with it.</summary>
    public static bool TryParse(string? pattern, out RoutePatternMatcher? matcher, out string? error)
    {
        matcher = null;
        error = null;
        if (string.IsNullOrEmpty(pattern) || pattern[0] != '/')
        {
            error = "A route pattern starts with '/'.";
            return false;
        }

        if (pattern.Length > MaxLength)
        {
            error = $"A route pattern has at most {MaxLength} characters.";
            return false;
        }

        var parts = pattern.Length == 1 ? [] : pattern[1..].Split('/');
        var segments = new List<string?>();
        var anyRest = false;
        for (var i = 0; i < parts.Length; i++)
        {
            var part = parts[i];
            if (part == "**")
            {
                if (i != parts.Length - 1)
                {
                    error = "'**' may only be the last segment of a route pattern.";
                    return false;
                }

                anyRest = true;
            }
            else if (part == "*" || (part.Length > 2 && part[0] == '{' && part[^1] == '}' && IsName(part.AsSpan(1, part.Length - 2))))
            {
                segments.Add(null);
            }
            else if (part.Length > 0 && part.All(IsLiteralChar))
            {
                segments.Add(part);
            }
            else
            {
                error = $"Segment {i + 1} ('{part}') of the route pattern is not a literal, '{{name}}', '*' or a final '**'.";
                return false;
            }
        }

        matcher = new RoutePatternMatcher(pattern, [.. segments], anyRest);
        return true;
    }

    public static RoutePatternMatcher Parse(string pattern) =>
        TryParse(pattern, out var matcher, out var error) ? matcher! : throw new FormatException(error);

    /// <summary>Whether <paramref name="route"/> (a request path, with or without a query string) matches.</summary>
    public bool Matches(ReadOnlySpan<char> route)
    {
        var query = route.IndexOfAny('?', '#');
        if (query >= 0)
        {
            route = route[..query];
        }

        if (route.IsEmpty || route[0] != '/')
        {
            return false;
        }

        route = route[1..];
        if (!route.IsEmpty && route[^1] == '/')
        {
            route = route[..^1];
        }

        var index = 0;
        while (!route.IsEmpty)
        {
            var slash = route.IndexOf('/');
            var segment = slash < 0 ? route : route[..slash];
            if (index == _segments.Length)
            {
                return _anyRest;
            }

            var expected = _segments[index];
            if (segment.IsEmpty || (expected is not null && !segment.Equals(expected, StringComparison.OrdinalIgnoreCase)))
            {
                return false;
            }

            index++;
            route = slash < 0 ? [] : route[(slash + 1)..];
        }

        return index == _segments.Length;
    }

    private static bool IsName(ReadOnlySpan<char> name)
    {
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsLiteralChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~' or ':' or '@' or '+' or '$' or ',' or ';' or '=' or '%';
}
