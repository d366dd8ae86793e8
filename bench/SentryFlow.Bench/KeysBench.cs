extern alias keys;

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using SentryFlow.Contracts.Authorization;
using SentryFlow.Hosting.LocalServers;
using SentryFlow.Testing;
using Xunit;
using KeysProgram = keys::Program;

namespace SentryFlow.Bench;

/// <summary>
/// <c>POST /v1/keys/verify</c> over HTTP on loopback (Kestrel, Release build) with 10,000 keys issued and the
/// cache warm, loaded by wrk (Debian's package) picking a random key per request.
/// </summary>
public static class KeysBench
{
    private const int KeyCount = 10_000;

    public static async Task RunAsync()
    {
        await DebianPackages.EnsureInstalledAsync([new DebianPackage("wrk", "/usr/bin/wrk")], Console.WriteLine, CancellationToken.None);
        await using var factory = new ServiceFactory<KeysProgram>();
        factory.Settings["Logging:LogLevel:Default"] = "Warning";
        await ((IAsyncLifetime)factory).InitializeAsync();
        var port = FreePort.Next();
        factory.UseKestrel(port);
        factory.StartServer();
        var baseAddress = new Uri($"http://127.0.0.1:{port}");

        var projectId = Guid.NewGuid();
        using var http = new HttpClient { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.ForProjects(OrganizationRole.Member, projectId));
        var secrets = new string[KeyCount];
        var issuing = Stopwatch.StartNew();
        await Measure.RunAsync(KeyCount, 8, async i =>
        {
            using var response = await http.PostAsJsonAsync($"/api/projects/{projectId}/keys", new { name = $"bench-{i}", ownerId = $"consumer-{i % 100}" });
            response.EnsureSuccessStatusCode();
            secrets[i] = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        });
        Console.WriteLine($"issued {KeyCount} keys in {issuing.Elapsed.TotalSeconds:F1} s");

        // Warm: every key verified once (memory and Redis caches filled).
        using var verifier = new HttpClient { BaseAddress = baseAddress };
        await Measure.RunAsync(KeyCount, 8, async i => (await verifier.PostAsJsonAsync("/v1/keys/verify", new { key = secrets[i] })).EnsureSuccessStatusCode());

        var directory = Directory.CreateTempSubdirectory("sentryflow-bench-");
        var keysFile = Path.Combine(directory.FullName, "keys.txt");
        await File.WriteAllLinesAsync(keysFile, secrets);
        var script = Path.Combine(directory.FullName, "verify.lua");
        await File.WriteAllTextAsync(script, $$"""
            local keys = {}
            for line in io.lines("{{keysFile}}") do keys[#keys + 1] = line end
            wrk.method = "POST"
            wrk.headers["Content-Type"] = "application/json"
            request = function()
              return wrk.format(nil, "/v1/keys/verify", nil, '{"key":"' .. keys[math.random(#keys)] .. '"}')
            end
            """);

        foreach (var (connections, label) in new[] { (16, "16 connections"), (4, "4 connections (lighter load)") })
        {
            Console.WriteLine($"--- wrk, 2 threads, {label}, 15 s ---");
            Console.WriteLine(await RunAsync("wrk", $"-t2 -c{connections} -d15s --latency -s {script} {baseAddress}"));
        }

        directory.Delete(recursive: true);
    }

    private static async Task<string> RunAsync(string command, string arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var output = await process.StandardOutput.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output + await process.StandardError.ReadToEndAsync();
    }
}
