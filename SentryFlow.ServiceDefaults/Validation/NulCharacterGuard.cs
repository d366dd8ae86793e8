using Microsoft.AspNetCore.Http;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.ServiceDefaults.Validation;

/// <summary>
/// Refuses a request whose query string carries a NUL character (<c>%00</c>) with a 400 naming the parameter,
/// before any endpoint sees it: no service can store or match such text, and a query parameter (a search term, a name
/// filter) may reach PostgreSQL, which refuses it with an error.
/// </summary>
internal static class NulCharacterGuard
{
    public static async Task InvokeAsync(HttpContext context, Func<Task> next)
    {
        // A NUL in the path never gets this far: the server's URL decoder refuses it with a 400.
        var request = context.Request;
        // The raw query string is still encoded: look for the character only when an encoded NUL is there at all.
        if (request.QueryString.Value?.Contains("%00", StringComparison.Ordinal) == true)
        {
            foreach (var (name, values) in request.Query)
            {
                if (name.Contains('\0', StringComparison.Ordinal) || values.Any(value => value?.Contains('\0', StringComparison.Ordinal) == true))
                {
                    await RefuseAsync(context, name.Replace("\0", "\\u0000", StringComparison.Ordinal));
                    return;
                }
            }
        }

        await next();
    }

    private static Task RefuseAsync(HttpContext context, string field) =>
        CommonProblems.Invalid.Validation(field, StorableStringConverter.NulMessage).ExecuteAsync(context);
}
