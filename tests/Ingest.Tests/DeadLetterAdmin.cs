using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Claims;
using System.Text.Json;
using SentryFlow.Testing;

namespace SentryFlow.Ingest.Tests;

/// <summary>A platform administrator calling ingest's dead-letter API: list, wait for one, replay.</summary>
internal sealed class DeadLetterAdmin : IDisposable
{
    private readonly HttpClient _client;

    public DeadLetterAdmin(IngestFixture fixture)
    {
        _client = fixture.Ingest.CreateClient();
        _client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestTokens.Mint("root", new Claim("role", "admin")));
    }

    public async Task<JsonElement[]> ListAsync() => (await _client.GetFromJsonAsync<JsonElement[]>("/v1/ingest/dead-letters"))!;

    /// <summary>Lists until a dead letter of <paramref name="queue"/> shows up; returns the whole list then.</summary>
    public async Task<JsonElement[]> WaitForQueueAsync(string queue, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var listed = await ListAsync();
            if (listed.Any(d => d.GetProperty("queue").GetString() == queue))
            {
                return listed;
            }

            Assert.True(DateTime.UtcNow < deadline, $"nothing reached {queue}'s error queue");
            await Task.Delay(300);
        }
    }

    /// <summary>Replays <paramref name="deadLetter"/> and waits until <paramref name="consumed"/> says its consumer took it.</summary>
    public async Task ReplayAsync(JsonElement deadLetter, Func<bool> consumed)
    {
        using var replay = await _client.PostAsync($"/v1/ingest/dead-letters/replay?messageId={deadLetter.GetProperty("messageId").GetString()}", null);
        Assert.Equal(1, (await replay.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("replayed").GetInt32());
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (!consumed())
        {
            Assert.True(DateTime.UtcNow < deadline, "the replayed message was not consumed");
            await Task.Delay(100);
        }
    }

    public void Dispose() => _client.Dispose();
}
