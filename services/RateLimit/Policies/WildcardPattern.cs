namespace SentryFlow.RateLimit.Policies;

/// <summary>Override patterns: an exact value, or <c>*</c> wildcards matching any run of characters (case-insensitive).</summary>
public static class WildcardPattern
{
    public static bool IsWildcard(string pattern) => pattern.Contains('*');

    public static bool Matches(string pattern, ReadOnlySpan<char> value)
    {
        ReadOnlySpan<char> p = pattern;
        // Classic greedy matching with backtracking to the last '*'.
        int pi = 0, vi = 0, star = -1, mark = 0;
        while (vi < value.Length)
        {
            if (pi < p.Length && p[pi] != '*' && char.ToLowerInvariant(p[pi]) == char.ToLowerInvariant(value[vi]))
            {
                pi++;
                vi++;
            }
            else if (pi < p.Length && p[pi] == '*')
            {
                star = pi++;
                mark = vi;
            }
            else if (star >= 0)
            {
                pi = star + 1;
                vi = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (pi < p.Length && p[pi] == '*')
        {
            pi++;
        }

        return pi == p.Length;
    }
}
