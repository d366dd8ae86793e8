using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Hosting;
using SentryFlow.ServiceDefaults.Problems;

namespace SentryFlow.ServiceDefaults.Tests;

public sealed class ProblemDetailsTests
{
    private const string Secret = "connection password is hunter2";

    private static Task<WebApplication> StartAsync() => TestApp.StartAsync([],
        configureBuilder: builder => builder.AddProblemCatalogue(typeof(WidgetProblems)),
        configureApp: app =>
        {
            app.MapPost("/widgets", (Widget widget) => Results.Ok(widget));
            app.MapGet("/widgets/{id}", (string id) => WidgetProblems.NotFound.Result($"No widget {id}."));
            app.MapPut("/widgets/{id}", (string id) => WidgetProblems.NameTaken.Validation("name", "Another widget has it."));
            app.MapPatch("/widgets/{id}", (string id) => TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["id"] = ["x"] }));
            app.MapGet("/broken", string () => throw new InvalidOperationException(Secret));
            app.MapGet("/pages", (int limit, Guid? after) => Results.Ok(limit));
            app.MapGet("/both", () =>
            {
                var errors = new ProblemErrors();
                errors.Add(WidgetProblems.NameTaken, "name", "Another widget has it.");
                errors.Add(CommonProblems.Invalid, "size", "Too big.");
                return errors.ToResult();
            });
        });

    [Theory]
    [InlineData("GET", "/widgets/7", 404, "widgets.not_found")]
    [InlineData("PUT", "/widgets/7", 400, "widgets.name_taken")]
    [InlineData("PATCH", "/widgets/7", 400, "request.invalid")]
    [InlineData("GET", "/nowhere", 404, "request.not_found")]
    [InlineData("DELETE", "/widgets", 405, "request.method_not_allowed")]
    [InlineData("GET", "/broken", 500, "server.error")]
    public async Task Every_error_answer_carries_a_stable_code_and_its_type(string method, string path, int status, string code)
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));

        Assert.Equal(status, (int)response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(code, problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(ProblemType.TypePrefix + code, problem.RootElement.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("/pages?limit=abc", "limit", "The value is not valid for this parameter.")]
    [InlineData("/pages?limit=99999999999999999999", "limit", "The value is not valid for this parameter.")]
    [InlineData("/pages?limit=5&after=not-a-guid", "after", "The value is not valid for this parameter.")]
    [InlineData("/pages", "limit", "The parameter is required.")]
    public async Task A_query_value_that_does_not_bind_is_a_400_naming_the_parameter(string path, string field, string message)
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(message, problem.RootElement.GetProperty("errors").GetProperty(field)[0].GetString());
        Assert.Equal("request.invalid", problem.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task Errors_found_together_are_one_answer_with_the_first_ones_code()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/both");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("widgets.name_taken", problem.RootElement.GetProperty("code").GetString());
        Assert.Equal(["name", "size"], problem.RootElement.GetProperty("errors").EnumerateObject().Select(e => e.Name));
    }

    [Fact]
    public async Task The_catalogue_lists_the_common_and_the_service_codes()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        var problems = await client.GetFromJsonAsync<ProblemDescription[]>(ProblemsExtensions.ProblemsPath);

        Assert.Contains(problems!, problem => problem is { Code: "widgets.name_taken", Status: 400 });
        Assert.Contains(problems!, problem => problem is { Code: "auth.unauthenticated", Status: 401 });
    }

    [Fact]
    public void A_code_declared_twice_is_refused()
    {
        var failure = Assert.Throws<InvalidOperationException>(() => new ProblemCatalogue([new ServiceProblems(typeof(WidgetProblems)), new ServiceProblems(typeof(WidgetProblems))]));

        Assert.Contains("widgets.not_found", failure.Message);
    }

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
        Assert.Equal(CommonProblems.Invalid.Code, problem.RootElement.GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_nul_character_in_the_query_gets_400_naming_the_parameter()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/widgets/7?name=a%00b");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.True(problem.RootElement.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Fact]
    public async Task A_nul_character_in_a_json_string_gets_400_naming_the_field()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.PostAsync("/widgets",
            new StringContent("""{"name":"a\u0000b","size":1}""", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(["The text contains a NUL character (\\u0000), which cannot be stored."],
            problem.RootElement.GetProperty("errors").GetProperty("name").EnumerateArray().Select(message => message.GetString()));
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

    private static class WidgetProblems
    {
        public static readonly ProblemType NotFound = new("widgets.not_found", 404, "No such widget.");
        public static readonly ProblemType NameTaken = new("widgets.name_taken", 400, "The name is taken.");
    }
}
