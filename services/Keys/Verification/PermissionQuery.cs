using System.Text.RegularExpressions;

namespace SentryFlow.Keys.Verification;

/// <summary>
/// A permission requirement such as <c>(read OR write) AND billing</c>: names joined by <c>AND</c> and
/// <c>OR</c> (AND binds tighter), with parentheses. Parsed once per request, evaluated against a key's permissions.
/// </summary>
public abstract partial record PermissionQuery
{
    public abstract bool IsSatisfiedBy(IReadOnlyCollection<string> permissions);

    public static bool TryParse(string text, out PermissionQuery? query, out string? error)
    {
        var tokens = Token().Matches(text).Select(m => m.Value).ToList();
        if (string.Concat(tokens) != WhiteSpace().Replace(text, ""))
        {
            (query, error) = (null, "Permissions are names of letters, digits and . _ : * - joined by AND, OR and parentheses.");
            return false;
        }

        var position = 0;
        query = Or(tokens, ref position, out error);
        if (query is not null && position != tokens.Count)
        {
            (query, error) = (null, $"Unexpected '{tokens[position]}'.");
        }

        return query is not null;
    }

    private static PermissionQuery? Or(List<string> tokens, ref int position, out string? error)
    {
        var left = And(tokens, ref position, out error);
        while (left is not null && position < tokens.Count && tokens[position].Equals("OR", StringComparison.OrdinalIgnoreCase))
        {
            position++;
            var right = And(tokens, ref position, out error);
            left = right is null ? null : new Either(left, right);
        }

        return left;
    }

    private static PermissionQuery? And(List<string> tokens, ref int position, out string? error)
    {
        var left = Factor(tokens, ref position, out error);
        while (left is not null && position < tokens.Count && tokens[position].Equals("AND", StringComparison.OrdinalIgnoreCase))
        {
            position++;
            var right = Factor(tokens, ref position, out error);
            left = right is null ? null : new Both(left, right);
        }

        return left;
    }

    private static PermissionQuery? Factor(List<string> tokens, ref int position, out string? error)
    {
        error = null;
        if (position >= tokens.Count)
        {
            error = "The expression ends too early.";
            return null;
        }

        var token = tokens[position++];
        if (token == "(")
        {
            var inner = Or(tokens, ref position, out error);
            if (inner is null)
            {
                return null;
            }

            if (position >= tokens.Count || tokens[position++] != ")")
            {
                error = "A '(' is not closed.";
                return null;
            }

            return inner;
        }

        if (token is ")" || token.Equals("AND", StringComparison.OrdinalIgnoreCase) || token.Equals("OR", StringComparison.OrdinalIgnoreCase))
        {
            error = $"Expected a permission name, found '{token}'.";
            return null;
        }

        return new Name(token);
    }

    [GeneratedRegex(@"\(|\)|[A-Za-z0-9._:*\-]+")]
    private static partial Regex Token();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();

    private sealed record Name(string Permission) : PermissionQuery
    {
        public override bool IsSatisfiedBy(IReadOnlyCollection<string> permissions) => permissions.Contains(Permission);
    }

    private sealed record Both(PermissionQuery Left, PermissionQuery Right) : PermissionQuery
    {
        public override bool IsSatisfiedBy(IReadOnlyCollection<string> permissions) => Left.IsSatisfiedBy(permissions) && Right.IsSatisfiedBy(permissions);
    }

    private sealed record Either(PermissionQuery Left, PermissionQuery Right) : PermissionQuery
    {
        public override bool IsSatisfiedBy(IReadOnlyCollection<string> permissions) => Left.IsSatisfiedBy(permissions) || Right.IsSatisfiedBy(permissions);
    }
}
