using SentryFlow.Bench.Faults;

namespace SentryFlow.Bench.Tests;

public class FaultArgumentsTests
{
    [Fact]
    public void No_arguments_run_every_fault_with_the_issues_durations_at_the_default_rate()
    {
        var plan = FaultArguments.Parse([]);

        Assert.Equal(FaultArguments.Defaults, plan.Faults);
        Assert.Equal(FaultArguments.DefaultRecordsPerSecond, plan.RecordsPerSecond);
        Assert.Equal(TimeSpan.FromSeconds(60), plan.Faults.Single(f => f.Name == FaultNames.PostgresKill).Duration);
        Assert.All(plan.Faults.Where(f => f.Name is not (FaultNames.PostgresKill or FaultNames.SystemRestart)),
            f => Assert.InRange(f.Duration.TotalSeconds, 10, 20));
    }

    [Fact]
    public void Named_faults_run_alone_in_the_order_given_with_their_own_or_the_given_duration()
    {
        var plan = FaultArguments.Parse(["redis-pause", "postgres-kill=30", "--rate=200"]);

        Assert.Equal(
            [new FaultStep(FaultNames.RedisPause, TimeSpan.FromSeconds(10)), new FaultStep(FaultNames.PostgresKill, TimeSpan.FromSeconds(30))],
            plan.Faults);
        Assert.Equal(200, plan.RecordsPerSecond);
    }

    [Theory]
    [InlineData("postgres-crash", "Unknown fault 'postgres-crash'")]
    [InlineData("redis-kill=0", "redis-kill: '0' is not a positive whole number.")]
    [InlineData("redis-kill=ten", "redis-kill: 'ten' is not a positive whole number.")]
    [InlineData("--rate=-5", "--rate: '-5' is not a positive whole number.")]
    public void A_wrong_argument_is_refused_naming_it(string argument, string message)
    {
        var error = Assert.Throws<ArgumentException>(() => FaultArguments.Parse([argument]));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_fault_named_twice_is_refused()
    {
        var error = Assert.Throws<ArgumentException>(() => FaultArguments.Parse(["ingest-kill", "ingest-kill=5"]));

        Assert.Equal("The fault 'ingest-kill' is named twice.", error.Message);
    }
}
