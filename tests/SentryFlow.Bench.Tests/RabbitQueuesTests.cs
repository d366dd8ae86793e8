using SentryFlow.Bench.Faults;

namespace SentryFlow.Bench.Tests;

public class RabbitQueuesTests
{
    [Fact]
    public void Reads_each_queues_count_and_skips_header_lines()
    {
        const string output = "Timeout: 60.0 seconds ...\nname\tmessages\nrequest-records\t12\nrequest-records_error\t3\n\n";

        var queues = RabbitQueues.Parse(output);

        Assert.Equal(new Dictionary<string, long> { ["request-records"] = 12, ["request-records_error"] = 3 }, queues);
        Assert.Equal(["request-records_error"], queues.Keys.Where(RabbitQueues.IsErrorQueue));
    }
}
