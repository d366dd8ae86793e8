using Microsoft.AspNetCore.Http;
using System.Text;
using System.Text.Json.Nodes;
using Xunit.Abstractions;

namespace SentryFlow.AppHost.Tests.Attack;

/// <summary>
/// The platform tried as an attacker would, on the running AppHost: every route of every service's OpenAPI document
/// called with another tenant's ids, with no token and with forged ones, and the malformed-input corpus thrown at every
/// body and query parameter. No answer may cross tenants (a 2xx), and none may be a 5xx; every error is problem details
/// with a code. Routes are read from the documents, so a new endpoint is swept without editing this suite.
/// </summary>
[Collection(AppHostCollection.Name)]
public sealed class AttackTests(AppHostFixture fixture, ITestOutputHelper output)
{
    /// <summary>The status a probe is given when the server closed the connection without answering.</summary>
    private const int NoAnswer = 0;

    /// <summary>What a probe's text starts with when the server stopped reading an oversized body.</summary>
    private const string ClosedWhileSending = "closed while sending: ";

    /// <summary>Routes anyone may call: answered without a token by design.</summary>
    private static readonly HashSet<string> Anonymous = new(StringComparer.Ordinal)
    {
        "POST /api/account/register",
        "POST /connect/token",
        "POST /connect/revoke",
        // The key in the body is the credential (README: verify is open); a wrong one is answered valid: false.
        "POST /v1/keys/verify",
        // The same: the tokens in the body are the credentials; a forged one is answered inactive.
        "POST /internal/v1/token-access",
    };

    [Fact]
    public async Task No_route_answers_a_tenant_with_another_tenants_ids()
    {
        var surface = await AttackSurface.GetAsync(fixture);
        var failures = new List<string>();
        var swept = 0;
        foreach (var route in surface.Routes.Where(r => r.PathParameters.Count > 0))
        {
            using var client = surface.Attacker.Client(fixture, route.Service);
            var (status, text) = await SendAsync(client, route, route.Path(surface.Victim.IdFor), ExampleBody(route));
            swept++;
            if (status is >= 200 and < 300 or >= 500 or NoAnswer)
            {
                failures.Add($"{route} with {surface.Victim.Name}'s ids as {surface.Attacker.Name}: {status} {MalformedInput.Excerpt(text)}");
            }
        }

        Report(swept, failures);
    }

    [Fact]
    public async Task No_route_lets_in_a_caller_without_a_token_or_with_a_forged_one()
    {
        var surface = await AttackSurface.GetAsync(fixture);
        var failures = new List<string>();
        var swept = 0;
        foreach (var (kind, credential) in ForgedTokens.Kinds(surface.Attacker.Token))
        {
            foreach (var route in surface.Routes)
            {
                using var client = fixture.CreateHttpClient(route.Service);
                if (credential is not null)
                {
                    client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", $"Bearer {credential}");
                    client.DefaultRequestHeaders.TryAddWithoutValidation("X-Api-Key", credential);
                }

                var (status, text) = await SendAsync(client, route, route.Path(surface.Attacker.IdFor), ExampleBody(route));
                swept++;
                var anonymous = Anonymous.Contains($"{route.Method} {route.Template}");
                if (status is >= 500 or NoAnswer || (!anonymous && status is >= 200 and < 300))
                {
                    failures.Add($"{route} with {kind}: {status} {MalformedInput.Excerpt(text)}");
                }
            }
        }

        Report(swept, failures);
    }

    [Fact]
    public async Task No_malformed_body_or_query_value_gets_a_5xx_and_every_error_has_a_code()
    {
        var surface = await AttackSurface.GetAsync(fixture);
        var failures = new List<string>();
        var swept = 0;
        foreach (var route in surface.Routes)
        {
            using var client = surface.Corpus.Client(fixture, route.Service);
            var path = route.Path(surface.Corpus.IdFor);
            var probes = new List<(string What, string Path, string? Json)>();
            if (route.Body is not null)
            {
                probes.AddRange(MalformedInput.WholeBodies().Select(b => (b.What, path, (string?)b.Json)));
                probes.AddRange(MalformedInput.PropertyBodies(route, ExampleBody(route)).Select(b => (b.What, path, (string?)b.Json)));
            }

            var example = ExampleBody(route)?.ToJsonString();
            foreach (var parameter in route.QueryParameters)
            {
                probes.AddRange(MalformedInput.BrokenQueryValues().Select(value =>
                    ($"?{parameter.Name}={(value.Length > 40 ? $"<{value.Length} characters>" : value)}", $"{path}?{parameter.Name}={Uri.EscapeDataString(value)}", example)));
            }

            foreach (var (what, probePath, json) in probes)
            {
                var (status, text) = await SendAsync(client, route, probePath, json);
                swept++;
                if (status is >= 500 or NoAnswer)
                {
                    failures.Add($"{route} with {what}: {status} {MalformedInput.Excerpt(text)}");
                }
                else if (status >= 400 && !route.Template.StartsWith("/connect/", StringComparison.Ordinal)
                    && !text.StartsWith(ClosedWhileSending, StringComparison.Ordinal) && !MalformedInput.IsProblem(text))
                {
                    failures.Add($"{route} with {what}: {status} without a problem code: {MalformedInput.Excerpt(text)}");
                }
            }
        }

        Report(swept, failures);
    }

    private static JsonNode? ExampleBody(ApiRoute route) =>
        route.Body is { } schema ? route.Schemas.Example(schema) : null;

    private static Task<(int Status, string Text)> SendAsync(HttpClient client, ApiRoute route, string path, JsonNode? body) =>
        SendAsync(client, route, path, body?.ToJsonString());

    private static async Task<(int Status, string Text)> SendAsync(HttpClient client, ApiRoute route, string path, string? json)
    {
        try
        {
            return await SendOnceAsync(client, route, path, json);
        }
        catch (HttpRequestException)
        {
            // A server closes the connection after refusing a body over its limit; the next request may have been sent on
            // it before the client saw that. Once more, on a new connection.
        }

        try
        {
            return await SendOnceAsync(client, route, path, json);
        }
        catch (HttpRequestException e) when (json is { Length: > MalformedInput.SmallestBodyLimit })
        {
            // The server refused the body while the client was still sending it (and closed the connection to stop it).
            return (StatusCodes.Status413PayloadTooLarge, ClosedWhileSending + e.Message);
        }
        catch (HttpRequestException e)
        {
            return (NoAnswer, $"no answer: {e.Message}");
        }
    }

    private static async Task<(int Status, string Text)> SendOnceAsync(HttpClient client, ApiRoute route, string path, string? json)
    {
        using var request = new HttpRequestMessage(route.Method, path);
        if (json is not null && route.Method != HttpMethod.Get && route.Method != HttpMethod.Delete)
        {
            request.Content = MalformedInput.Content(json);
        }

        // Streams (server-sent events) answer at once and never end: the status and headers are all a probe needs.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        var text = response.Content.Headers.ContentType?.MediaType == "text/event-stream"
            ? ""
            : await response.Content.ReadAsStringAsync(timeout.Token);
        return ((int)response.StatusCode, text);
    }

    private void Report(int swept, List<string> failures)
    {
        output.WriteLine($"{swept} requests, {failures.Count} failures.");
        Assert.True(failures.Count == 0, $"{failures.Count} of {swept} requests failed:{Environment.NewLine}{string.Join(Environment.NewLine, failures.Take(200))}");
    }
}

/// <summary>Credentials an attacker might present instead of a real token.</summary>
internal static class ForgedTokens
{
    public static IEnumerable<(string Kind, string? Credential)> Kinds(string realToken)
    {
        yield return ("no credentials", null);
        yield return ("a garbage token", "garbage");
        yield return ("an unsigned JWT (alg none)", Jwt("""{"alg":"none","typ":"JWT"}""", Claims()) + ".");
        yield return ("a JWT signed with a key of its own", Signed(Claims()));
        yield return ("the real token with one character changed", Flip(realToken));
        yield return ("the real token cut short", realToken[..(realToken.Length / 2)]);
        yield return ("an 8 KB token", new string('A', 8192));
    }

    private static string Claims()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return $$"""{"sub":"{{Guid.NewGuid()}}","iss":"http://127.0.0.1/","aud":"sentryflow","exp":{{now + 3600}},"iat":{{now}},"role":"owner","scope":"api"}""";
    }

    private static string Jwt(string header, string payload) =>
        $"{Base64Url(Encoding.UTF8.GetBytes(header))}.{Base64Url(Encoding.UTF8.GetBytes(payload))}";

    private static string Signed(string payload)
    {
        var unsigned = Jwt("""{"alg":"HS256","typ":"JWT"}""", payload);
        using var hmac = new System.Security.Cryptography.HMACSHA256(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
        return $"{unsigned}.{Base64Url(hmac.ComputeHash(Encoding.UTF8.GetBytes(unsigned)))}";
    }

    private static string Flip(string token)
    {
        var middle = token.Length / 2;
        return token[..middle] + (token[middle] == 'A' ? 'B' : 'A') + token[(middle + 1)..];
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
