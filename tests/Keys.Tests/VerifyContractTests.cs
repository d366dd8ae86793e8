using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using SentryFlow.Contracts.Keys;

namespace SentryFlow.Keys.Tests;

/// <summary>The verify endpoint speaks the shared contract (what ingest sends and reads) and answers malformed requests with coded 400s.</summary>
public sealed class VerifyContractTests(KeysFactory factory) : IClassFixture<KeysFactory>
{
    [Fact]
    public async Task A_verdict_reads_as_the_shared_response_contract()
    {
        var client = new KeysClient(factory);
        var secret = (await client.CreateAsync(new { name = "contract", permissions = new[] { "ingest:write" } })).GetProperty("secret").GetString()!;
        using var http = factory.CreateClient();

        using var response = await http.PostAsJsonAsync("/v1/keys/verify", new VerifyKeyRequest(secret, "ingest:write"));
        var verdict = await response.Content.ReadFromJsonAsync<VerifyKeyResponse>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(verdict!.Valid);
        Assert.Equal(VerifyCodes.Valid, verdict.Code);
        Assert.Equal(client.ProjectId, verdict.ProjectId);
    }

    public static TheoryData<object, string, string> Malformed => new()
    {
        { new VerifyKeyRequest(new string('k', VerifyKeyRequest.MaxKeyLength + 1)), "key", "keys.verify_invalid" },
        { new VerifyKeyRequest(""), "key", "keys.verify_invalid" },
        { new { permissions = "read" }, "key", "keys.verify_invalid" },
        { new VerifyKeyRequest("sf_live_x", Cost: -1), "cost", "keys.verify_invalid" },
        { new VerifyKeyRequest("sf_live_x", RateLimits: [.. Enumerable.Range(0, 21).Select(i => $"l{i}")]), "rateLimits", "keys.verify_invalid" },
        { new VerifyKeyRequest("sf_live_x", "(read AND"), "permissions", "keys.permission_query_invalid" },
        { new VerifyKeyRequest("sf_live_x", new string('p', VerifyKeyRequest.MaxPermissionsLength + 1)), "permissions", "keys.permission_query_invalid" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public async Task A_malformed_request_is_a_400_naming_the_field_with_its_code(object request, string field, string code)
    {
        using var http = factory.CreateClient();

        using var response = await http.PostAsJsonAsync("/v1/keys/verify", request);

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(code, body.GetProperty("code").GetString());
        Assert.True(body.GetProperty("errors").TryGetProperty(field, out _), body.ToString());
    }
}
