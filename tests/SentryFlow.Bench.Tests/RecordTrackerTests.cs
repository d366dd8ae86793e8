using SentryFlow.Bench.Faults;

namespace SentryFlow.Bench.Tests;

public class RecordTrackerTests
{
    [Fact]
    public void Ids_carry_the_trackers_prefix_and_never_repeat()
    {
        var tracker = new RecordTracker("p3");

        var first = tracker.NewBatch(3);
        var second = tracker.NewBatch(2);

        Assert.Equal(["p3-0000001", "p3-0000002", "p3-0000003"], first);
        Assert.Equal(["p3-0000004", "p3-0000005"], second);
        Assert.Equal("p3-", tracker.Prefix);
        Assert.Equal(2, tracker.Unsettled);
    }

    [Fact]
    public void A_batch_is_sent_again_until_accepted_and_then_settles()
    {
        var tracker = new RecordTracker("p");
        var batch = tracker.NewBatch(2);

        Assert.True(tracker.Answered(batch, PostOutcome.Unavailable));
        Assert.True(tracker.Answered(batch, PostOutcome.NoAnswer));
        Assert.True(tracker.Answered(batch, PostOutcome.ServerError));
        Assert.True(tracker.Answered(batch, PostOutcome.RateLimited));
        Assert.Equal(1, tracker.Unsettled);
        Assert.False(tracker.Answered(batch, PostOutcome.Accepted, []));

        Assert.Equal(0, tracker.Unsettled);
        Assert.Equal(batch, tracker.AcceptedIds().Order());
    }

    [Fact]
    public void A_client_error_settles_the_batch_as_rejected()
    {
        var tracker = new RecordTracker("p");
        var batch = tracker.NewBatch(2);

        Assert.False(tracker.Answered(batch, PostOutcome.ClientError));

        var tally = tracker.Account(new Dictionary<string, int>());
        Assert.Equal(0, tracker.Unsettled);
        Assert.Equal((2, 0, 0), (tally.Rejected, tally.Accepted, tally.Lost));
    }

    [Fact]
    public void Accounting_counts_each_record_by_what_it_was_answered_and_how_often_it_is_stored()
    {
        var tracker = new RecordTracker("p");
        var acceptedAtOnce = tracker.NewBatch(4);     // 4 accepted: 2 stored once, 1 twice, 1 never
        var acceptedOnRetry = tracker.NewBatch(3);    // refused, then accepted with item 2 rejected; stored once each
        var givenUp = tracker.NewBatch(2);            // refused until given up; one stored anyway
        tracker.Answered(acceptedAtOnce, PostOutcome.Accepted, []);
        tracker.Answered(acceptedOnRetry, PostOutcome.Unavailable);
        tracker.Answered(acceptedOnRetry, PostOutcome.Accepted, [2]);
        tracker.Answered(givenUp, PostOutcome.NoAnswer);
        tracker.GaveUp(givenUp);
        var stored = new Dictionary<string, int>
        {
            [acceptedAtOnce[0]] = 1, [acceptedAtOnce[1]] = 1, [acceptedAtOnce[2]] = 2,
            [acceptedOnRetry[0]] = 1, [acceptedOnRetry[1]] = 1,
            [givenUp[1]] = 1,
            ["other-0000001"] = 5, // another tracker's: ignored
        };

        var tally = tracker.Account(stored);

        Assert.Equal(9, tally.Sent);
        Assert.Equal(6, tally.Accepted);
        Assert.Equal(5, tally.Refused);
        Assert.Equal(2, tally.RefusedThenAccepted);
        Assert.Equal(1, tally.Rejected);
        Assert.Equal(2, tally.GivenUp);
        Assert.Equal(6, tally.Stored);
        Assert.Equal(1, tally.Lost);
        Assert.Equal(1, tally.Duplicated);
        Assert.Equal(1, tally.StoredUnaccepted);
        Assert.Equal(0, tracker.Unsettled);
        Assert.Equal(new Dictionary<PostOutcome, int> { [PostOutcome.Accepted] = 2, [PostOutcome.Unavailable] = 1, [PostOutcome.NoAnswer] = 1 }, tally.Posts);
    }

    [Fact]
    public void A_record_accepted_by_one_post_and_reported_a_duplicate_by_its_retry_stays_accepted()
    {
        var tracker = new RecordTracker("p");
        var batch = tracker.NewBatch(1);
        tracker.Answered(batch, PostOutcome.NoAnswer); // ingest took it, the answer never came
        tracker.Answered(batch, PostOutcome.Accepted, []); // the retry: 202 with duplicates: 1

        var tally = tracker.Account(new Dictionary<string, int>());

        Assert.Equal((1, 1, 1), (tally.Accepted, tally.RefusedThenAccepted, tally.Lost));
    }
}
