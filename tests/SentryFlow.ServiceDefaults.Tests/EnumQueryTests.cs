using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.TestHost;

namespace SentryFlow.ServiceDefaults.Tests;

/// <summary>Enum query values bind as the responses print them (camelCase names), in any case.</summary>
public sealed class EnumQueryTests
{
    public enum Shade
    {
        Light,
        NoData,
    }

    private static Task<WebApplication> StartAsync() => TestApp.StartAsync([], configureApp: app =>
    {
        app.MapGet("/shades", (Shade? shade, int limit = 1) => Results.Ok(new { shade, limit }));
        app.MapGet("/named", ([FromQuery(Name = "s")] Shade[] shades, int limit) => Results.Ok(new { shades, limit }));
    });

    [Theory]
    [InlineData("/shades?shade=light", "light")]
    [InlineData("/shades?shade=Light", "light")]
    [InlineData("/shades?shade=noData&limit=3", "noData")]
    [InlineData("/shades?SHADE=NODATA", "noData")]
    public async Task An_enum_value_binds_in_the_case_the_responses_print_it(string path, string expected)
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync(path);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(expected, body.GetProperty("shade").GetString());
    }

    [Fact]
    public async Task Every_value_of_a_named_enum_array_binds_and_other_parameters_are_kept()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        var body = JsonDocument.Parse(await client.GetStringAsync("/named?s=light&limit=3&s=NODATA")).RootElement;

        Assert.Equal(["light", "noData"], body.GetProperty("shades").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(3, body.GetProperty("limit").GetInt32());
    }

    [Fact]
    public async Task An_unknown_value_is_still_a_400_naming_the_parameter()
    {
        await using var app = await StartAsync();
        using var client = app.GetTestClient();

        using var response = await client.GetAsync("/shades?shade=dark");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("shade", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
