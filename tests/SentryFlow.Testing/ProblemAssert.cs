using System.Net;
using System.Text.Json;
using Xunit;

namespace SentryFlow.Testing;

/// <summary>Checks of error answers: problem details naming the field at fault, with the expected code.</summary>
public static class ProblemAssert
{
    /// <summary>
    /// Asserts a 400 problem-details answer whose <c>errors</c> name <paramref name="field"/> (in any case) and, when
    /// <paramref name="code"/> is given, whose <c>code</c> is it; returns the problem.
    /// </summary>
    public static async Task<JsonElement> ValidationAsync(HttpResponseMessage response, string field, string? code = null)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(body).RootElement.Clone();
        var fields = problem.GetProperty("errors").EnumerateObject().Select(e => e.Name).ToList();
        Assert.True(fields.Contains(field, StringComparer.OrdinalIgnoreCase), $"expected an error for '{field}': {body}");
        if (code is not null)
        {
            Assert.Equal(code, problem.GetProperty("code").GetString());
        }

        return problem;
    }
}
