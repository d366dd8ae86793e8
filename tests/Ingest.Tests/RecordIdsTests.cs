using SentryFlow.Ingest.Records;
using Xunit;

namespace SentryFlow.Ingest.Tests;

public sealed class RecordIdsTests
{
    [Fact]
    public void An_id_is_a_version_7_guid_carrying_the_millisecond_it_was_made()
    {
        var now = new DateTimeOffset(2026, 11, 23, 16, 20, 5, 123, TimeSpan.Zero);

        var id = RecordIds.New(now);

        Assert.Equal(7, id.Version);
        Assert.Equal(0b10, id.Variant >> 2);
        var bytes = id.ToByteArray(bigEndian: true);
        var milliseconds = bytes[..6].Aggregate(0L, (value, b) => value << 8 | b);
        Assert.Equal(now.ToUnixTimeMilliseconds(), milliseconds);
    }

    [Fact]
    public void Ids_are_unique_and_ordered_by_time()
    {
        var start = DateTimeOffset.UtcNow;
        var ids = Enumerable.Range(0, 100_000).Select(i => RecordIds.New(start.AddMilliseconds(i / 100))).ToList();

        Assert.Equal(ids.Count, ids.Distinct().Count());
        var perMillisecond = ids.Chunk(100).ToList();
        for (var i = 1; i < perMillisecond.Count; i++)
        {
            Assert.True(string.CompareOrdinal(perMillisecond[i].Min(g => g.ToString()), perMillisecond[i - 1].Max(g => g.ToString())) > 0, $"ms {i} sorts after ms {i - 1}");
        }
    }
}
