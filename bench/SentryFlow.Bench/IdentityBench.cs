extern alias identity;

using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.TestHost;
using SentryFlow.Testing;
using Xunit;
using IdentityProgram = identity::Program;

namespace SentryFlow.Bench;

/// <summary>
/// Sign-in throughput of the identity service (password flow against real PostgreSQL; dominated by the password
/// hash, by design) and the per-request cost of checking its tokens in another service (JwtBearer, warm key cache).
/// Both run in-process (TestServer), so the figures leave out the network.
/// </summary>
public static class IdentityBench
{
    private const string Password = "Bench-Password-42";

    public static async Task RunAsync()
    {
        await using var identity = new ServiceFactory<IdentityProgram>();
        identity.Settings["Identity:Throttle:SignInPerAddressPerMinute"] = "1000000";
        identity.Settings["Identity:Throttle:SignInPerAccountPerMinute"] = "1000000";
        identity.Settings["Identity:Throttle:RegisterPerAddressPerMinute"] = "1000000";
        identity.Settings["Logging:LogLevel:Default"] = "Warning";
        await ((IAsyncLifetime)identity).InitializeAsync();
        var client = identity.CreateClient();

        var emails = Enumerable.Range(0, 16).Select(i => $"bench-{i}-{Guid.NewGuid():n}@example.test").ToArray();
        foreach (var email in emails)
        {
            (await client.PostAsJsonAsync("/api/account/register", new { email, password = Password, displayName = "bench" })).EnsureSuccessStatusCode();
        }

        Task SignIn(int i) => SignInAsync(client, emails[i % emails.Length]);
        await Measure.RunAsync(20, 2, SignIn); // warm-up
        Console.WriteLine($"sign-in (password flow), {Environment.ProcessorCount} cores, 4 concurrent: {await Measure.RunAsync(400, 4, SignIn)}");

        await using var api = await ApiServiceHost.StartAsync(identity);
        var apiClient = api.GetTestClient();
        var token = await SignInAsync(client, emails[0]);
        var authorized = api.GetTestClient();
        authorized.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        async Task Open(int _) => (await apiClient.GetAsync("/open")).EnsureSuccessStatusCode();
        async Task WithToken(int _) => (await authorized.GetAsync("/whoami")).EnsureSuccessStatusCode();
        await Measure.RunAsync(5000, 1, Open);
        await Measure.RunAsync(5000, 1, WithToken);
        var open = await Measure.RunAsync(30000, 1, Open);
        var checkedToken = await Measure.RunAsync(30000, 1, WithToken);
        Console.WriteLine($"request without a token:        {open}");
        Console.WriteLine($"request with JwtBearer check:   {checkedToken}");
        Console.WriteLine($"token validation cost per request (mean difference): {(checkedToken.MeanMs - open.MeanMs) * 1000:F1} µs");
    }

    private static async Task<string> SignInAsync(HttpClient client, string email)
    {
        using var response = await client.PostAsync("/connect/token", new FormUrlEncodedContent(
        [
            KeyValuePair.Create("grant_type", "password"), KeyValuePair.Create("username", email), KeyValuePair.Create("password", Password),
        ]));
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("access_token").GetString()!;
    }
}
