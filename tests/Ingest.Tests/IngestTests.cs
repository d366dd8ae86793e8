using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using SentryFlow.Contracts.IntegrationEvents;

namespace SentryFlow.Ingest.Tests;

public sealed class IngestTests(IngestFixture fixture) : IClassFixture<IngestFixture>
{
    private static object Record(string? clientId = null, int status = 200, string path = "/orders", object? extra = null)
    {
        var record = new Dictionary<string, object?>
        {
            ["clientId"] = clientId ?? Guid.NewGuid().ToString("n"),
            ["timestamp"] = DateTimeOffset.UtcNow.AddSeconds(-1),
            ["method"] = "GET",
            ["host"] = "api.example.test",
            ["path"] = path,
            ["route"] = "/orders",
            ["status"] = status,
            ["durationMs"] = 12.5,
            ["consumer"] = "customer-1",
        };
        foreach (var property in JsonSerializer.SerializeToElement(extra ?? new { }).EnumerateObject())
        {
            record[property.Name] = property.Value;
        }

        return record;
    }

    private Task<List<RequestRecord>> PublishedRecordsAsync(Func<List<RequestRecord>, bool> until) =>
        fixture.PublishedRecordsAsync(fixture.ProjectId, until);

    [Fact]
    public async Task A_record_with_a_valid_ingest_key_reaches_the_bus_with_the_project_from_the_key()
    {
        var key = await fixture.IssueKeyAsync("ingest:write");
        var clientId = Guid.NewGuid().ToString("n");

        using var response = await fixture.IngestClient(key).PostAsJsonAsync("/v1/requests", Record(clientId));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var records = await PublishedRecordsAsync(r => r.Any(x => x.ClientId == clientId));
        Assert.Equal("/orders", records.Single(r => r.ClientId == clientId).Path);
    }

    [Fact]
    public async Task Missing_wrong_revoked_or_scopeless_keys_are_refused()
    {
        var scopeless = await fixture.IssueKeyAsync("read");

        using var missing = await fixture.IngestClient(null).PostAsJsonAsync("/v1/requests", Record());
        using var wrong = await fixture.IngestClient("sf_live_" + new string('x', 30)).PostAsJsonAsync("/v1/requests", Record());
        using var noScope = await fixture.IngestClient(scopeless).PostAsJsonAsync("/v1/requests", Record());

        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, noScope.StatusCode);
    }

    [Fact]
    public async Task A_batch_with_3_bad_items_of_10_accepts_7_and_names_the_3()
    {
        var key = await fixture.IssueKeyAsync("ingest:write");
        var items = Enumerable.Range(0, 10).Select(i => i switch
        {
            2 => Record(status: 42),
            5 => Record(path: "no-slash"),
            8 => Record(extra: new { timestamp = DateTimeOffset.UtcNow.AddDays(1) }),
            _ => Record(),
        }).ToArray();

        using var response = await fixture.IngestClient(key).PostAsJsonAsync("/v1/requests/batch", items);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(7, result.GetProperty("accepted").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray()
            .Select(r => (r.GetProperty("index").GetInt32(), r.GetProperty("field").GetString())).ToList();
        Assert.Equal([(2, "status"), (5, "path"), (8, "timestamp")], rejected);
    }

    [Fact]
    public async Task Items_with_a_NUL_character_anywhere_are_refused_naming_the_field_and_the_rest_accepted()
    {
        var key = await fixture.IssueKeyAsync("ingest:write");
        var items = new[]
        {
            Record(clientId: "poison\u0000id"),
            Record(extra: new { host = "api\u0000.example.test" }),
            Record(extra: new { requestHeaders = new Dictionary<string, string> { ["x-trace"] = "a\u0000b" } }),
            Record(extra: new { responseBody = new { nested = new[] { "fine", "bad\u0000" } } }),
            Record(extra: new { clientIp = "10.0.0.1\u0000" }),
            Record(extra: new { responseBody = new { note = "a literal backslash-u: \\u0000 is text, not NUL" } }),
            Record(),
        };

        using var response = await fixture.IngestClient(key).PostAsJsonAsync("/v1/requests/batch", items);
        using var single = await fixture.IngestClient(key).PostAsJsonAsync("/v1/requests", Record(extra: new { route = "/orders\u0000" }));
        using var badEvent = await fixture.IngestClient(key).PostAsJsonAsync("/v1/events",
            new { eventId = Guid.NewGuid().ToString("n"), type = "signup", timestamp = DateTimeOffset.UtcNow, payload = new { plan = "pro\u0000" } });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var result = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(2, result.GetProperty("accepted").GetInt32());
        var rejected = result.GetProperty("rejected").EnumerateArray()
            .Select(r => (r.GetProperty("index").GetInt32(), r.GetProperty("field").GetString())).ToList();
        Assert.Equal([(0, "clientId"), (1, "host"), (2, "requestHeaders.x-trace"), (3, "responseBody"), (4, "clientIp")], rejected);
        Assert.Equal(HttpStatusCode.BadRequest, single.StatusCode);
        Assert.True((await single.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("route", out _));
        Assert.Equal(HttpStatusCode.BadRequest, badEvent.StatusCode);
        Assert.True((await badEvent.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").TryGetProperty("payload", out _));
    }

    [Fact]
    public async Task The_same_batch_posted_twice_is_counted_once()
    {
        var key = await fixture.IssueKeyAsync("ingest:write");
        var items = Enumerable.Range(0, 20).Select(_ => Record()).ToArray();
        var ids = items.Select(i => (string)((Dictionary<string, object?>)i)["clientId"]!).ToHashSet();

        using var first = await fixture.IngestClient(key).PostAsJsonAsync("/v1/requests/batch", items);
        using var again = await fixture.IngestClient(key).PostAsJsonAsync("/v1/requests/batch", items);

        Assert.Equal(20, (await first.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        var second = await again.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, second.GetProperty("accepted").GetInt32());
        Assert.Equal(20, second.GetProperty("duplicates").GetInt32());
        var records = await PublishedRecordsAsync(r => ids.All(id => r.Any(x => x.ClientId == id)));
        await Task.Delay(300);
        Assert.Equal(20, records.Count(r => ids.Contains(r.ClientId!)));
    }

    [Fact]
    public async Task Masked_fields_never_reach_the_bus()
    {
        var key = await fixture.IssueKeyAsync("ingest:write");
        var clientId = Guid.NewGuid().ToString("n");
        var record = Record(clientId, extra: new
        {
            requestHeaders = new Dictionary<string, string> { ["Authorization"] = "Bearer top-secret-token", ["Accept"] = "application/json" },
            requestBody = new { user = "ada", password = "hunter2-secret", card = "4111 1111 1111 1111" },
            responseBody = "password=also-secret&ok=1",
        });

        using var response = await fixture.IngestClient(key).PostAsJsonAsync("/v1/requests", record);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var published = (await PublishedRecordsAsync(r => r.Any(x => x.ClientId == clientId))).Single(r => r.ClientId == clientId);
        var onTheBus = JsonSerializer.Serialize(published);
        Assert.DoesNotContain("top-secret-token", onTheBus);
        Assert.DoesNotContain("hunter2-secret", onTheBus);
        Assert.DoesNotContain("4111 1111 1111 1111", onTheBus);
        Assert.DoesNotContain("also-secret", onTheBus);
        Assert.Equal("application/json", published.RequestHeaders!["Accept"]);
        Assert.Contains("ada", published.RequestBody);
        var wire = fixture.PublishedBodies.Single(body => body.Contains(clientId, StringComparison.Ordinal));
        Assert.DoesNotContain("top-secret-token", wire);
        Assert.DoesNotContain("hunter2-secret", wire);
        Assert.DoesNotContain("4111 1111 1111 1111", wire);
        Assert.DoesNotContain("also-secret", wire);
    }

    [Fact]
    public async Task A_batch_travels_as_compact_json_without_null_fields()
    {
        var key = await fixture.IssueKeyAsync("ingest:write");
        var ids = Enumerable.Range(0, 5).Select(_ => Guid.NewGuid().ToString("n")).ToList();

        using var response = await fixture.IngestClient(key).PostAsJsonAsync("/v1/requests/batch", ids.Select(id => Record(id)));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await PublishedRecordsAsync(r => ids.All(id => r.Any(x => x.ClientId == id)));
        var wire = fixture.PublishedBodies.Single(body => body.Contains(ids[0], StringComparison.Ordinal));
        // Indentation would be tens of KB per 500 records, written, carried and parsed twice; nulls a third more.
        Assert.DoesNotContain('\n', wire);
        Assert.DoesNotContain(":null", wire.Replace(" ", ""), StringComparison.Ordinal);
        Assert.All(ids, id => Assert.Contains(id, wire, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Events_are_accepted_one_or_many_and_gzip_bodies_are_read()
    {
        var key = await fixture.IssueKeyAsync("ingest:write");
        var events = Enumerable.Range(0, 3).Select(i => new { eventId = Guid.NewGuid().ToString(), type = "deploy", timestamp = DateTimeOffset.UtcNow, payload = new { version = i } });
        using var gzipped = new MemoryStream();
        await using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
        {
            await gzip.WriteAsync(JsonSerializer.SerializeToUtf8Bytes(events));
        }

        var content = new ByteArrayContent(gzipped.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        content.Headers.ContentEncoding.Add("gzip");
        using var response = await fixture.IngestClient(key).PostAsync("/v1/events/batch", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(3, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task An_event_without_a_payload_is_accepted_with_an_empty_one()
    {
        var key = await fixture.IssueKeyAsync("ingest:write");

        using var response = await fixture.IngestClient(key).PostAsJsonAsync("/v1/events",
            new { eventId = Guid.NewGuid().ToString("n"), type = "signup", timestamp = DateTimeOffset.UtcNow });

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode); // was 503, "broker unavailable"
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
    }

    [Fact]
    public async Task A_gzip_batch_is_read_whole_however_it_inflates_up_to_a_mebibyte_and_refused_with_413_beyond()
    {
        var key = await fixture.IssueKeyAsync("ingest:write");
        static ByteArrayContent Gzipped(byte[] json)
        {
            using var gzipped = new MemoryStream();
            using (var gzip = new GZipStream(gzipped, CompressionLevel.Fastest, leaveOpen: true))
            {
                gzip.Write(json);
            }

            var content = new ByteArrayContent(gzipped.ToArray());
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            content.Headers.ContentEncoding.Add("gzip");
            return content;
        }

        // About 900 KB once inflated, sent as a few KB: far past the buffer the compressed length suggests.
        var padding = new string('x', 700);
        var large = JsonSerializer.SerializeToUtf8Bytes(Enumerable.Range(0, 1000).Select(i => Record(path: $"/orders/{i}", extra: new { userAgent = padding })));
        var tooLarge = JsonSerializer.SerializeToUtf8Bytes(Enumerable.Range(0, 1000).Select(i => Record(extra: new { userAgent = padding + padding })));
        Assert.InRange(large.Length, 800_000, 1 << 20);
        Assert.True(tooLarge.Length > 1 << 20);

        using var accepted = await fixture.IngestClient(key).PostAsync("/v1/requests/batch", Gzipped(large));
        using var refused = await fixture.IngestClient(key).PostAsync("/v1/requests/batch", Gzipped(tooLarge));

        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        Assert.Equal(1000, (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accepted").GetInt32());
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, refused.StatusCode);
    }

    [Fact]
    public async Task A_wholly_bad_request_is_a_400_naming_the_fields()
    {
        var key = await fixture.IssueKeyAsync("ingest:write");

        using var single = await fixture.IngestClient(key).PostAsJsonAsync("/v1/requests", new { method = "FETCH", status = 999 });
        using var notJson = await fixture.IngestClient(key).PostAsync("/v1/requests/batch", new StringContent("[{", Encoding.UTF8, "application/json"));
        using var tooMany = await fixture.IngestClient(key).PostAsJsonAsync("/v1/requests/batch", Enumerable.Range(0, 1001).Select(_ => new { }));

        Assert.Equal(HttpStatusCode.BadRequest, single.StatusCode);
        var errors = (await single.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("method", out _) && errors.TryGetProperty("status", out _) && errors.TryGetProperty("timestamp", out _), errors.ToString());
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
    }
}
