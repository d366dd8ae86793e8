using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;

namespace SentryFlow.ServiceDefaults.Tests;

public sealed class ProblemDetailsTests
{
    private const string Secret = "connection password is hunter2";

    private static Task<WebApplication> StartAsync() => TestApp.StartAsync([], configureApp: app =>
    {
        app.MapPost("/widgets", (Widget widget) => Results.Ok(widget));
        app.MapGet("/broken", string () => throw new InvalidOperationException(Secret));
    });

    [Fact]
    public async Task Malformed_json_gets_400_problem_details_naming_the_field()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.PostAsync("/widgets",
            new StringContent("""{"name":"a","size":"big"}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(400, problem.RootElement.GetProperty("status").GetInt32());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("size", out _));
    }

    [Fact]
    public async Task Unhandled_exception_gets_500_problem_details_that_reveal_nothing()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/broken");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.DoesNotContain("hunter2", await response.Content.ReadAsStringAsync());
    }

    private sealed record Widget(string Name, int Size);
}
