using System.Net;
using Xunit;

namespace SentryFlow.Testing;

/// <summary>
/// /health is readiness: it answers 503 until every dependency is reached (the bus connects in the background after
/// start), so a test that needs a ready service waits for it, as the AppHost does.
/// </summary>
public static class HealthWaiter
{
    public static async Task WaitForHealthyAsync(this HttpClient client, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            using var response = await client.GetAsync("/health");
            if (response.StatusCode == HttpStatusCode.OK)
            {
                return;
            }

            Assert.True(DateTime.UtcNow < deadline, $"/health stayed {response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            await Task.Delay(200);
        }
    }
}
