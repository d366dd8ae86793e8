extern alias orders;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using SentryFlow.Testing;
using OrdersProgram = orders::Program;

namespace SentryFlow.Demo.Tests;

/// <summary>The sample API's behaviour with its delays and failures off (its own tests set the scales to 0).</summary>
public sealed class OrdersApiTests(OrdersApiTests.CalmOrdersApi api) : IClassFixture<OrdersApiTests.CalmOrdersApi>
{
    public sealed class CalmOrdersApi : WebApplicationFactory<OrdersProgram>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Orders:LatencyScale", "0");
            builder.UseSetting("Orders:FailureScale", "0");
        }
    }

    private readonly HttpClient _http = api.CreateClient();

    [Fact]
    public async Task An_order_is_placed_read_cancelled_once_and_found_by_search()
    {
        using var created = await _http.PostAsJsonAsync("/orders", new { customer = "wonka", lines = new[] { new { sku = "sku-dock", quantity = 2 } } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var order = await created.Content.ReadFromJsonAsync<JsonElement>();
        var id = order.GetProperty("id").GetInt32();
        Assert.Equal($"/orders/{id}", created.Headers.Location?.OriginalString);
        Assert.Equal(278.00m, order.GetProperty("total").GetDecimal());
        Assert.Equal("placed", order.GetProperty("status").GetString());

        var read = await _http.GetFromJsonAsync<JsonElement>($"/orders/{id}");
        Assert.Equal("wonka", read.GetProperty("customer").GetString());

        using var cancelled = await _http.PostAsync($"/orders/{id}/cancel", null);
        Assert.Equal(HttpStatusCode.OK, cancelled.StatusCode);
        Assert.Equal("cancelled", (await cancelled.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("status").GetString());
        using var again = await _http.PostAsync($"/orders/{id}/cancel", null);
        await AssertProblemAsync(again, HttpStatusCode.Conflict, "orders.not_cancellable");

        var found = await _http.GetFromJsonAsync<JsonElement[]>("/orders/search?q=wonka&limit=100");
        Assert.Contains(found!, o => o.GetProperty("id").GetInt32() == id);
    }

    [Fact]
    public async Task The_api_starts_with_its_seeded_orders_newest_first()
    {
        var orders = await _http.GetFromJsonAsync<JsonElement[]>("/orders?limit=100");

        Assert.Equal(100, orders!.Length);
        var ids = orders.Select(o => o.GetProperty("id").GetInt32()).ToArray();
        Assert.Equal(ids.OrderDescending(), ids);
        using var first = await _http.GetAsync("/orders/1000");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
    }

    [Fact]
    public async Task Bad_requests_are_refused_naming_the_field_and_a_missing_order_is_a_404()
    {
        await ProblemAssert.ValidationAsync(await _http.GetAsync("/orders/search"), "q", "orders.invalid");
        await ProblemAssert.ValidationAsync(await _http.GetAsync("/orders?limit=0"), "limit", "orders.invalid");
        await ProblemAssert.ValidationAsync(
            await _http.PostAsJsonAsync("/orders", new { customer = "acme", lines = new[] { new { sku = "sku-discontinued", quantity = 1 } } }), "lines[0].sku", "orders.invalid");
        await ProblemAssert.ValidationAsync(await _http.PostAsJsonAsync("/orders", new { customer = "acme", lines = Array.Empty<object>() }), "lines");
        await AssertProblemAsync(await _http.GetAsync("/orders/999999"), HttpStatusCode.NotFound, "orders.not_found");
        await AssertProblemAsync(await _http.PostAsync("/orders/999999/cancel", null), HttpStatusCode.NotFound, "orders.not_found");
    }

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"{(int)response.StatusCode}: {body}");
        Assert.Equal(code, JsonDocument.Parse(body).RootElement.GetProperty("code").GetString());
    }
}
