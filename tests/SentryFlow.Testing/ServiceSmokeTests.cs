using System.Net;
using System.Text.Json;
using Npgsql;
using Xunit;

namespace SentryFlow.Testing;

/// <summary>
/// What every service must do from the foundation on, run once per service project against the real servers:
/// come up healthy (its database, Redis and RabbitMQ reachable) and serve its OpenAPI document.
/// </summary>
public abstract class ServiceSmokeTests<TProgram>(ServiceFactory<TProgram> factory) where TProgram : class
{
    protected ServiceFactory<TProgram> Factory { get; } = factory;

    [Fact]
    public async Task Health_is_healthy_with_every_dependency_reachable()
    {
        using var client = Factory.CreateClient();

        await client.WaitForHealthyAsync();

        using var response = await client.GetAsync("/health");
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Alive_answers_without_touching_dependencies()
    {
        using var client = Factory.CreateClient();

        using var response = await client.GetAsync("/alive");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task OpenApi_document_is_served()
    {
        using var client = Factory.CreateClient();

        using var response = await client.GetAsync("/openapi/v1.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.StartsWith("3.", document.RootElement.GetProperty("openapi").GetString());
    }

    [Fact]
    public async Task Scalar_ui_is_served_in_development()
    {
        using var client = Factory.CreateClient();

        using var response = await client.GetAsync("/scalar");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_route_gets_problem_details()
    {
        using var client = Factory.CreateClient();

        using var response = await client.GetAsync("/no/such/route");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Metrics_are_exposed_for_prometheus()
    {
        using var client = Factory.CreateClient();
        await client.GetAsync("/alive");

        using var response = await client.GetAsync("/metrics");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("http_server_request_duration_seconds", await response.Content.ReadAsStringAsync());
    }

    /// <summary>The counters the README names for this service, as exported (e.g. <c>ratelimit_decisions_total</c>).</summary>
    protected virtual IReadOnlyList<string> DocumentedCounters => [];

    [Fact]
    public async Task Metrics_pass_promtool_check_metrics()
    {
        using var client = Factory.CreateClient();
        await client.GetAsync("/alive");
        await client.GetAsync("/no/such/route"); // an error answer, so its series are there too

        var findings = await Promtool.CheckMetricsAsync(await client.GetStringAsync("/metrics"));

        Assert.True(findings.Length == 0, findings);
    }

    [Fact]
    public async Task Documented_counters_are_exported_at_zero_from_the_start()
    {
        using var client = Factory.CreateClient();

        var exposition = await client.GetStringAsync("/metrics");

        var samples = exposition.Split('\n').Where(line => line.Length > 0 && line[0] != '#').Select(Sample).ToList();
        Assert.All(DocumentedCounters, counter =>
        {
            var values = samples.Where(sample => sample.Name == counter).Select(sample => sample.Value).ToList();
            Assert.True(values.Count > 0 && values.TrueForAll(value => value == "0"),
                $"{counter} is not exported at 0 ({string.Join(", ", values)}):\n{exposition}");
        });
    }

    /// <summary>A sample line of the text format, <c>name{labels} value [timestamp]</c>: its name and value.</summary>
    private static (string Name, string Value) Sample(string line)
    {
        var nameEnd = line.IndexOfAny(['{', ' ']);
        var valueStart = line[nameEnd] == '{' ? line.LastIndexOf('}') + 1 : nameEnd;
        return (line[..nameEnd], line[valueStart..].Trim().Split(' ')[0]);
    }
}

/// <summary>The smoke tests of a service that owns a database: also, the database is created as the service starts.</summary>
public abstract class ServiceWithDatabaseSmokeTests<TProgram>(ServiceFactory<TProgram> factory) : ServiceSmokeTests<TProgram>(factory)
    where TProgram : class
{
    [Fact]
    public async Task Database_is_created_at_start()
    {
        _ = Factory.Server; // starting the host runs the migrations
        Assert.Equal(1L, await DatabaseCountAsync(Factory));
    }

    /// <summary>How many databases carry the name the factory gave the service (0 or 1).</summary>
    public static async Task<long> DatabaseCountAsync(ServiceFactory<TProgram> factory)
    {
        await using var connection = new NpgsqlConnection(factory.Servers.PostgresDatabase("postgres"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = $1", connection)
        {
            Parameters = { new() { Value = factory.DatabaseName } },
        };
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
