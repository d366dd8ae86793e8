using System.Text;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace SentryFlow.Identity.Tokens;

/// <summary>
/// A NUL character (<c>%00</c>) in a form posted to <c>/connect/*</c> makes ASP.NET Core's form reader throw, which was a
/// 500. This answers OAuth's <c>invalid_request</c> (400) naming the parameter instead, before OpenIddict reads the form.
/// The JSON bodies and query strings of the other endpoints are guarded by ServiceDefaults' NulCharacterGuard.
/// </summary>
public static class FormNulGuard
{
    public static async Task InvokeAsync(HttpContext http, Func<Task> next)
    {
        if (http.Request.Path.StartsWithSegments("/connect") && http.Request.HasFormContentType)
        {
            http.Request.EnableBuffering();
            var body = await new StreamReader(http.Request.Body, Encoding.UTF8, leaveOpen: true).ReadToEndAsync(http.RequestAborted);
            http.Request.Body.Position = 0;
            if (FirstWithNul(body) is { } parameter)
            {
                http.Response.StatusCode = StatusCodes.Status400BadRequest;
                await http.Response.WriteAsJsonAsync(new Dictionary<string, string>
                {
                    [Parameters.Error] = Errors.InvalidRequest,
                    [Parameters.ErrorDescription] = $"The '{parameter}' parameter contains a NUL character.",
                }, http.RequestAborted);
                return;
            }
        }

        await next();
    }

    private static string? FirstWithNul(string body)
    {
        foreach (var pair in body.Split('&'))
        {
            var separator = pair.IndexOf('=');
            var name = Decode(separator < 0 ? pair : pair[..separator]);
            if (name.Contains('\0', StringComparison.Ordinal) || (separator >= 0 && Decode(pair[(separator + 1)..]).Contains('\0', StringComparison.Ordinal)))
            {
                return name.Replace("\0", "\\0", StringComparison.Ordinal);
            }
        }

        return null;
    }

    private static string Decode(string encoded) => Uri.UnescapeDataString(encoded.Replace('+', ' '));
}
